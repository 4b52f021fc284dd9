import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/core/commands/index.js';
import { clickedCommand, commandButton } from '../../src/core/message/index.js';
import { legacyNudgeCommand } from '../../src/core/nudges/index.js';

describe('command buttons', () => {
  it('carry command text the tokenizer reads back word for word, under an id unique per command', () => {
    const words = ['snooze', 'component:default/payments-api', 'Payments API', 'say "hi"', '7'];
    const b = commandButton('Snooze', words);
    expect(b).toMatchObject({ type: 'button', id: 'command:snooze' });
    const text = b.type === 'button' ? b.value : '';
    expect(tokenize(text)).toEqual(words);
    expect(clickedCommand(b.type === 'button' ? b.id : '', text)).toBe(text);
  });

  it('a click on any other button is not a command; a value is one line of text', () => {
    expect(clickedCommand('post_to_channel', 'who-owns x')).toBeUndefined();
    expect(clickedCommand('command:optout', '  optout\n\u0007 ')).toBe('optout');
    expect(clickedCommand('command:optout', ' ')).toBeUndefined();
  });

  it('reads the buttons of nudges sent before buttons carried commands', () => {
    expect(legacyNudgeCommand('nudge_snooze', 'component:default/a|readiness|runbook')).toBe('snooze component:default/a readiness/runbook 7');
    expect(legacyNudgeCommand('nudge_not_mine', 'component:default/a')).toBe('not-mine component:default/a');
    expect(legacyNudgeCommand('nudge_opt_out', 'all')).toBe('optout');
    expect(legacyNudgeCommand('nudge_snooze', 'component:default/a')).toBe('help snooze');
    expect(legacyNudgeCommand('nudge_snooze', 'a b|c|d')).toBe('help snooze');
    expect(legacyNudgeCommand('nudge_not_mine', '')).toBe('help not-mine');
    expect(legacyNudgeCommand('open_link_0', '')).toBeUndefined();
  });
});
