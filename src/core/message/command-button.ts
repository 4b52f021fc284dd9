import { button } from './builders.js';
import type { Action } from './types.js';

/**
 * A button that runs a chat command for whoever clicks it, as if they had typed it: its value is
 * the command text. Why text and not ids to look up: a click then takes the one path a typed
 * command takes (the router: logged, measured, checked, errors answered once), the platform
 * signs the value with the click, and a command's grammar is already its contract, so old buttons
 * keep working as long as the command does. The id names the command only because Slack wants
 * the ids in one block to differ (a nudge's Snooze and Not-mine sit side by side).
 */
const PREFIX = 'command:';

/** A button whose click runs `words` as a command; a word with spaces or quotes is quoted. */
export function commandButton(label: string, words: readonly string[], style?: 'primary' | 'danger'): Action {
  const text = words.map(quoteWord).join(' ');
  return button(label, `${PREFIX}${words[0] ?? ''}`, text, style);
}

/** The command text a click carries, or undefined when the button is not a command button. */
export function clickedCommand(id: string, value: string): string | undefined {
  if (!id.startsWith(PREFIX)) return undefined;
  // The value comes back from the platform: treat it like typed text, one line, no control characters.
  const text = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return text === '' ? undefined : text;
}

/** A word as the tokenizer reads it back: bare when it can be, else in the quotes it does not contain. */
function quoteWord(word: string): string {
  if (word !== '' && !/[\s"'“”‘’«»]/.test(word)) return word;
  return word.includes('"') ? `'${word}'` : `"${word}"`;
}
