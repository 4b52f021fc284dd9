// Preloaded (`node --import`) into the processes bench/catalog.ts measures, so `steward import`
// runs exactly as users run it and still reports its peak RSS. Plain JavaScript on purpose: a
// TypeScript preload would need tsx, which would be measured too.
process.on('exit', () => {
  process.stderr.write(`\nbench-max-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
