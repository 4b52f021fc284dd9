export type {
  ChatProfile,
  ChatUserSource,
  IdentityRecord,
  IdentityStore,
  PersonDirectory,
  PersonDirectoryOptions,
} from './person-directory.js';
export { createPersonDirectory } from './person-directory.js';
export { fillMentions } from './fill-mentions.js';
