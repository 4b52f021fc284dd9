export type { Messenger, SentMessage } from './messenger.js';
export { DeliveryError } from './messenger.js';
