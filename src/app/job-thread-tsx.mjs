// A job thread started from the TypeScript sources (the `steward` binary, the tests): worker
// threads do not inherit tsx's loader hooks on Node.js 20, so register them here, then load the
// thread's TypeScript entry. Built code (dist/) starts job-thread-entry.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./job-thread-entry.ts');
