import { afterAll, describe, expect, it } from 'vitest';
import { fit, neutralise, renderBlockKit, SLACK_LIMITS } from '../../../src/adapters/slack/render-block-kit.js';
import type { Block, Reply } from '../../../src/core/message/index.js';
import {
  actions,
  button,
  channel,
  code,
  context,
  divider,
  fields,
  heading,
  link,
  list,
  mention,
  reply,
  strong,
  text,
  urlButton,
} from '../../../src/core/message/index.js';
import { createTestBot } from '../../support/test-bot.js';

const only = (r: Reply): unknown[] => renderBlockKit(r).blocks;
const one = (block: Block): unknown => renderBlockKit(reply('x', [block])).blocks[0];
/** Every text Slack would parse, in one string. */
const payload = (r: Reply): string => JSON.stringify(renderBlockKit(r));

const HOSTILE = 'Do not @channel; <!here> pings were removed. Use *bold* carefully & <https://evil.example|click> <@U123>';

describe('Block Kit rendering, one block kind at a time', () => {
  it('a heading is a plain_text header', () => {
    expect(one(heading('Payments API'))).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Payments API' } });
  });

  it('text made only of strings is plain_text: exact, nothing formatted', () => {
    expect(one(text('Takes card payments.'))).toEqual({ type: 'section', text: { type: 'plain_text', text: 'Takes card payments.' } });
  });

  it('text with formatting is verbatim mrkdwn', () => {
    expect(one(text([strong('payments-api'), ' is owned by ', strong('Payments'), '. See ', code('who-owns x'), '.']))).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*payments-api* is owned by *Payments*. See `who-owns x`.', verbatim: true },
    });
  });

  it('fields are bold labels over values, ten to a section', () => {
    const items = Array.from({ length: 12 }, (_, i) => [`Label ${i}`, `value ${i}`] as const);
    const blocks = only(reply('x', [fields(items)])) as Array<{ fields: Array<{ text: string }> }>;
    expect(blocks.map((b) => b.fields.length)).toEqual([10, 2]);
    expect(blocks[0]!.fields[0]).toEqual({ type: 'mrkdwn', text: '*Label 0*\nvalue 0', verbatim: true });
  });

  it('a list is one section of bullets, with what was left out counted', () => {
    expect(one(list(['alpha', 'beta'], 3))).toEqual({ type: 'section', text: { type: 'plain_text', text: '• alpha\n• beta\n…and 3 more' } });
    expect(one(list([[strong('alpha'), ' (component)']]))).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '• *alpha* (component)', verbatim: true },
    });
  });

  it('context is one small-print element', () => {
    expect(one(context(['Usage: ', code('who-owns <service>')]))).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Usage: `who-owns &lt;service&gt;`', verbatim: true }],
    });
  });

  it('actions become buttons; URL buttons get an action id so their clicks can be acknowledged', () => {
    expect(one(actions([urlButton('Runbook', 'https://runbooks.acme.example/pay?a=1&b=2'), button('Post to channel', 'post_to_channel', 'who-owns x', 'primary')]))).toEqual({
      type: 'actions',
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'Runbook' }, url: 'https://runbooks.acme.example/pay?a=1&b=2', action_id: 'open_link_0' },
        { type: 'button', text: { type: 'plain_text', text: 'Post to channel' }, action_id: 'post_to_channel', value: 'who-owns x', style: 'primary' },
      ],
    });
  });

  it('a divider is a divider', () => {
    expect(one(divider())).toEqual({ type: 'divider' });
  });

  it('empty blocks are left out rather than sent empty (Slack refuses empty text)', () => {
    expect(only(reply('', [heading('  '), text(''), list([]), context(''), actions([])]))).toEqual([]);
  });

  it('the fallback text is escaped too, since notifications parse it', () => {
    expect(renderBlockKit(reply('a <!channel> & b')).text).toBe('a &lt;!channel&gt; &amp; b');
  });
});

describe('catalog text is data: escaped, never markup', () => {
  it('plain text keeps every character and escapes only & < >', () => {
    expect(one(text(HOSTILE))).toEqual({
      type: 'section',
      text: {
        type: 'plain_text',
        text: 'Do not @channel; &lt;!here&gt; pings were removed. Use *bold* carefully &amp; &lt;https://evil.example|click&gt; &lt;@U123&gt;',
      },
    });
  });

  it('in mrkdwn the same text cannot ping, link or format', () => {
    const rendered = one(text([strong('Legacy <!channel> notifier'), ': ', HOSTILE])) as { text: { text: string } };
    expect(rendered.text.text).toBe(
      '*Legacy &lt;!channel&gt; notifier*: Do not @channel; &lt;!here&gt; pings were removed. Use \u2217bold\u2217 carefully &amp; &lt;https://evil.example|click&gt; &lt;@U123&gt;',
    );
  });

  it('no control sequence survives anywhere in a message built from hostile text', () => {
    const r = reply(HOSTILE, [
      heading('Legacy <!channel> notifier'),
      text(HOSTILE),
      text([strong('x'), HOSTILE]),
      fields([['<!everyone>', HOSTILE], ['Owner', [mention({ name: '<!here> Mallory' })]]]),
      list([[HOSTILE], [strong('<!subteam^S1|@team>')]]),
      context([HOSTILE, code('<@U999>')]),
      actions([urlButton('<!channel>', 'https://ok.example/'), button('<@U1>', 'post_to_channel', 'who-owns x')]),
    ]);
    const json = payload(r);
    for (const raw of ['<!channel>', '<!here>', '<!everyone>', '<@U123>', '<@U999>', '<https://evil.example|click>', '<!subteam']) {
      expect(json).not.toContain(raw);
    }
  });

  it('a button value is opaque data Slack hands back on a click: passed on untouched, never shown', () => {
    const a = one(actions([button('Post to channel', 'post_to_channel', 'who-owns a&b <x>')])) as { elements: Array<{ value: string }> };
    expect(a.elements[0]!.value).toBe('who-owns a&b <x>');
  });

  it('formatting characters are neutralised only where they could format', () => {
    expect(neutralise('payments_db and ledger_svc')).toBe('payments_db and ledger_svc');
    expect(neutralise('*bold* _it_ ~gone~ `code`')).toBe('\u2217bold\u2217 \u02CDit\u02CD \u223Cgone\u223C \u02CBcode\u02CB');
  });

  it('a link is a link only for http(s) and mailto, with & | escaped in the URL', () => {
    expect((one(text([link('https://a.example/x?p=1&q=a|b', 'Runbook')])) as { text: { text: string } }).text.text).toBe(
      '<https://a.example/x?p=1&amp;q=a%7Cb|Runbook>',
    );
    expect((one(text([link('javascript:alert(1)', 'click')])) as { text: { text: string } }).text.text).toBe('click (javascript:alert(1))');
    expect((one(text([link('https://evil.example', 'https://bank.example')])) as { text: { text: string } }).text.text).toBe(
      '<https://evil.example/|https://bank.example>',
    );
  });

  it('a URL button with an unusable URL is left out, not sent broken', () => {
    expect(only(reply('', [actions([urlButton('Docs', 'docs/runbook.md'), urlButton('Long', `https://a.example/${'x'.repeat(3000)}`)])]))).toEqual([]);
  });
});

describe('people and channels', () => {
  it('a person with a Slack id is a real mention; without one, their escaped name', () => {
    const spans = [mention({ name: 'Ana Ruiz', slackId: 'U0ANA' }), ', ', mention({ name: 'Ben <Okafor>', email: 'ben@acme.example' })];
    expect((one(text(spans)) as { text: { text: string } }).text.text).toBe('<@U0ANA>, Ben &lt;Okafor&gt;');
  });

  it('a Slack id that is not an id is ignored', () => {
    expect((one(text([mention({ name: 'Mallory', slackId: 'U1> <!channel' })])) as { text: { text: string } }).text.text).toBe('Mallory');
  });

  it('a channel is <#C…> only for a real channel id (or a slack.com/archives link)', () => {
    const t = (c: string): string => (one(text([channel(c)])) as { text: { text: string } }).text.text;
    expect(t('C0PLATFORM')).toBe('<#C0PLATFORM>');
    expect(t('https://acme.slack.com/archives/C024BE91L')).toBe('<#C024BE91L>');
    expect(t('#team-payments')).toBe('#team-payments');
    expect(t('<!channel>')).toBe('&lt;!channel&gt;');
  });
});

describe("Slack's limits are met by the renderer, never by an API error", () => {
  it('at most 50 blocks; the rest is counted, and the footer always stays', () => {
    const many = Array.from({ length: 80 }, (_, i) => text(`paragraph ${i}`));
    const message = renderBlockKit(reply('x', many), { footer: [actions([button('Post to channel', 'post_to_channel', 'v')])] });
    expect(message.blocks).toHaveLength(SLACK_LIMITS.blocks);
    expect(message.blocks.at(-2)).toEqual({ type: 'context', elements: [{ type: 'plain_text', text: '…and 32 more' }] });
    expect(message.blocks.at(-1)).toMatchObject({ type: 'actions' });
  });

  it('section text is cut at 3,000 characters, counting the escapes, with a mark', () => {
    const t = (one(text('&'.repeat(1000))) as { text: { text: string } }).text.text;
    expect(t.length).toBeLessThanOrEqual(3000);
    expect(t.endsWith('&amp;…')).toBe(true);
    const m = (one(text([strong('a'), ' ', '<'.repeat(2000)])) as { text: { text: string } }).text.text;
    expect(m.length).toBeLessThanOrEqual(3000);
    expect(m).toMatch(/^\*a\* (&lt;)+…$/);
  });

  it('a header is cut at 150 characters', () => {
    const h = one(heading('Ü'.repeat(200))) as { text: { text: string } };
    expect(h.text.text).toHaveLength(150);
    expect(h.text.text.endsWith('…')).toBe(true);
  });

  it('a field is cut at 2,000 characters, its label kept', () => {
    const f = (one(fields([['Members', 'x'.repeat(5000)]])) as { fields: Array<{ text: string }> }).fields[0]!;
    expect(f.text.length).toBeLessThanOrEqual(2000);
    expect(f.text.startsWith('*Members*\nxxx')).toBe(true);
  });

  it('a long list keeps what fits in 3,000 characters and says how many more', () => {
    const items = Array.from({ length: 200 }, (_, i) => `service-${String(i).padStart(3, '0')}-${'y'.repeat(40)}`);
    const section = one(list(items, 5)) as { text: { text: string } };
    expect(section.text.text.length).toBeLessThanOrEqual(3000);
    const lines = section.text.text.split('\n');
    const shown = lines.filter((l) => l.startsWith('• ')).length;
    expect(lines.at(-1)).toBe(`…and ${200 + 5 - shown} more`);
    expect(shown).toBeGreaterThan(50);
  });

  it('button text is cut at 75; an action id over 255 or a value over 2,000 drops the button', () => {
    const a = one(actions([button('B'.repeat(100), 'ok', 'v'), button('x', 'i'.repeat(256), 'v'), button('y', 'ok2', 'v'.repeat(2001))])) as {
      elements: Array<{ text: { text: string }; action_id: string }>;
    };
    expect(a.elements).toHaveLength(1);
    expect(a.elements[0]!.text.text).toHaveLength(75);
  });

  it('at most 25 buttons in an actions block', () => {
    const a = one(actions(Array.from({ length: 30 }, (_, i) => button(`b${i}`, `id${i}`, 'v')))) as { elements: unknown[] };
    expect(a.elements).toHaveLength(SLACK_LIMITS.actionsElements);
  });

  it('cutting never splits an escape or a surrogate pair', () => {
    expect(fit('a&b', 6, (s) => s.replace(/&/g, '&amp;'))).toBe('a…');
    expect(fit('😀😀😀', 5, (s) => s)).toBe('😀😀…');
  });
});

describe('golden: real answers of the test org, rendered for Slack', () => {
  const bot = createTestBot();
  afterAll(() => bot.close());

  for (const [name, command] of [
    ['who-owns', 'who-owns payments-api'],
    ['info-hostile', 'info legacy-notifier'],
    ['help-who-owns', 'help who-owns'],
    ['not-found', 'who-owns paymnets-api'],
  ] as const) {
    it(`${command}`, async () => {
      const out = await bot.say(command);
      await expect(JSON.stringify(renderBlockKit(out.reply), null, 2)).toMatchFileSnapshot(`./golden/${name}.json`);
    });
  }
});

describe('odd input the renderer still turns into a valid message', () => {
  it('a huge field label is cut too, leaving room for the value', () => {
    const f = (one(fields([['L'.repeat(5000), 'value']])) as { fields: Array<{ text: string }> }).fields[0]!;
    expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    expect(f.text.endsWith('\nvalue')).toBe(true);
  });

  it('a reply of nothing but empty blocks shows its fallback text as a block', () => {
    const message = renderBlockKit(reply('only the <fallback>', [text('')]));
    expect(message).toEqual({
      text: 'only the &lt;fallback&gt;',
      blocks: [{ type: 'section', text: { type: 'plain_text', text: 'only the &lt;fallback&gt;' } }],
    });
  });
});
