// Preloaded with `node --import` to make the binary believe it runs on another Node.js version
// (PRETEND_NODE); the version check in src/steward.js reads process.versions.node.
Object.defineProperty(process.versions, 'node', { value: process.env.PRETEND_NODE, enumerable: true });
