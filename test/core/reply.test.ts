import { describe, expect, it } from 'vitest';
import { code, context, heading, link, list, mention, reply, strong, text } from '../../src/core/message/index.js';

describe('reply()', () => {
  it('built from blocks alone, takes the plain text of its blocks as fallback', () => {
    const out = reply([
      text([strong('checkout-api'), ' is exempt from Readiness / slo until 2026-12-31.']),
      list([['Runbook: ', link('https://wiki.example/rb', 'the runbook')], [mention({ name: 'Ana Ruiz', email: 'ana@acme.example' })]]),
      context([code('optin'), ' turns nudges back on.']),
    ]);
    expect(out.fallback).toBe(
      'checkout-api is exempt from Readiness / slo until 2026-12-31.\n' +
        '  • Runbook: the runbook <https://wiki.example/rb>\n' +
        '  • Ana Ruiz <ana@acme.example>\n' +
        'optin turns nudges back on.',
    );
    expect(out.visibility).toBe('caller');
    expect(reply([text('Posted.')], 'channel')).toEqual({ fallback: 'Posted.', blocks: [text('Posted.')], visibility: 'channel' });
  });

  it('from one sentence, is that sentence as text and fallback', () => {
    expect(reply('Nudges are already on for you.')).toEqual({
      fallback: 'Nudges are already on for you.',
      blocks: [text('Nudges are already on for you.')],
      visibility: 'caller',
    });
  });

  it('keeps an explicit fallback where it must differ from the blocks', () => {
    const out = reply('payments-api is owned by Payments.', [heading('payments-api'), text('Owned by Payments.')], 'channel');
    expect(out).toMatchObject({ fallback: 'payments-api is owned by Payments.', visibility: 'channel' });
    expect(out.blocks).toHaveLength(2);
  });
});
