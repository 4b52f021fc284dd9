# Steward in a container: build the TypeScript in one stage, run the compiled JavaScript with the
# production dependencies only in the next, as a non-root user.
#
#   docker build -t steward .
#   docker run -p 3000:3000 -v steward-data:/data --env-file steward.env steward
#   docker run -v steward-data:/data -v "$PWD/catalog:/catalog:ro" steward import /catalog/all.yaml
#
# Node 22 satisfies `engines` (^20.19.0 || >=22.12.0).

FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 falls back to compiling when no prebuilt binary matches: give it a toolchain here,
# where it costs nothing at run time.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
COPY scorecards ./scorecards
RUN npm run build
# Production dependencies only, in their own folder, for the runtime stage to copy.
RUN mkdir /prod && cp package.json package-lock.json /prod/ && cd /prod && npm ci --omit=dev

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    STEWARD_DB=/data/steward.db
WORKDIR /app
# The compiled code and the data files it reads beside package.json: migrations, the bundled
# scorecards, the demo catalog.
COPY --from=build /prod/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY migrations ./migrations
COPY scorecards ./scorecards
COPY src/demo ./src/demo
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
# The image's `node` user (uid 1000): nothing in Steward needs root.
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node itself gets SIGTERM and drains (a shell or npm in between would not pass it on).
ENTRYPOINT ["node", "dist/src/cli.js"]
CMD ["serve"]
