import { NUDGE_SNOOZE_DAYS } from './nudge-controls.js';

/**
 * Nudges sent before their buttons carried command text had buttons with these ids, and values
 * `entityRef|scorecard|check` (snooze), the entity ref (not mine) and `all` (opt out). Such
 * messages stay in people's chats for weeks, so a click on one is read as the command it meant
 * and takes the same path as any click. Nothing builds these any more.
 */
const LEGACY = { snooze: 'nudge_snooze', notMine: 'nudge_not_mine', optOut: 'nudge_opt_out' } as const;

/** The command an old nudge button meant, or undefined for any other button. */
export function legacyNudgeCommand(id: string, value: string): string | undefined {
  switch (id) {
    case LEGACY.snooze: {
      const [entityRef, scorecardId, checkId] = value.split('|').map((part) => part.trim());
      // An unreadable value gets the command's own help, which says what to type instead.
      if (!entityRef || !scorecardId || !checkId || /\s/.test(value)) return 'help snooze';
      return `snooze ${entityRef} ${scorecardId}/${checkId} ${NUDGE_SNOOZE_DAYS}`;
    }
    case LEGACY.notMine: {
      const entityRef = value.trim();
      return entityRef && !/\s/.test(entityRef) ? `not-mine ${entityRef}` : 'help not-mine';
    }
    case LEGACY.optOut:
      return 'optout';
    default:
      return undefined;
  }
}
