export type { ConsumeResult, SignInLinks, SignInStore, StoredSignInLink, WebIdentity } from './sign-in-ports.js';
export { SIGN_IN_LINK_MINUTES } from './sign-in-ports.js';
