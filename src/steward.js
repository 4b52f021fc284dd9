#!/usr/bin/env node
// The `steward` binary. It runs the TypeScript sources through tsx, so a fresh clone needs no
// build step and the code that runs is always the code in the tree.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
