#!/usr/bin/env node
// The `steward` binary. It runs the TypeScript sources through tsx, so a fresh clone needs no
// build step and the code that runs is always the code in the tree.

// The oldest Node.js the dependencies run on, as package.json's `engines` says: undici needs
// 20.18.1, vite and rolldown (the tests) ^20.19.0 || >=22.12.0. Checked before anything loads, so
// an old Node gets this sentence instead of a syntax or import error from deep in a dependency.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (!((major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 23)) {
  process.stderr.write(
    `steward: Node.js ${process.versions.node} is not supported; Steward needs Node.js 20.19 or newer (^20.19.0 || >=22.12.0). ` +
      'Install a current LTS release from https://nodejs.org and run it again.\n',
  );
  process.exit(2);
}

const { register } = await import('tsx/esm/api');
register();
await import('./cli.ts');
