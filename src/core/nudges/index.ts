export type { Disowned, NudgePreferences, Snooze } from './nudge-preferences.js';
export type { NudgeControlDeps } from './nudge-controls.js';
export { MAX_SNOOZE_DAYS, NUDGE_SNOOZE_DAYS, callerRef, disownService, optIn, optOut, snoozeCheck } from './nudge-controls.js';
export { legacyNudgeCommand } from './legacy-nudge-button.js';
