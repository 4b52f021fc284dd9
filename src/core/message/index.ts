export type { Action, Block, Inline, PersonRef, Platform, Reply, Visibility } from './types.js';
export * from './builders.js';
export { inlineToPlainText, spansToPlainText, toPlainText } from './plain-text.js';
export { safeUrl } from './safe-url.js';
export { clickedCommand, commandButton } from './command-button.js';
