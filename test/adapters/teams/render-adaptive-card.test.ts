import { describe, expect, it } from 'vitest';
import type { Block } from '../../../src/core/message/index.js';
import { actions, button, code, context, divider, fields, heading, link, list, mention, reply, strong, text, urlButton } from '../../../src/core/message/index.js';
import { cardBytes, renderAdaptiveCard } from '../../../src/adapters/teams/render-adaptive-card.js';

/** Every element type and property the renderer may emit, from the Adaptive Card 1.5 schema (checked there in test/compat). */
const ELEMENT_KEYS: Record<string, readonly string[]> = {
  RichTextBlock: ['type', 'inlines', 'separator'],
  ActionSet: ['type', 'actions', 'separator'],
  'Input.ChoiceSet': ['type', 'id', 'label', 'isRequired', 'errorMessage', 'value', 'choices', 'separator'],
};
const RUN_KEYS = ['type', 'text', 'weight', 'fontType', 'size', 'isSubtle', 'selectAction'];

function checkStructure(card: ReturnType<typeof renderAdaptiveCard>): void {
  expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
  for (const el of card.body) {
    const allowed = ELEMENT_KEYS[el.type];
    expect(allowed, `unknown element ${el.type}`).toBeDefined();
    for (const k of Object.keys(el)) expect(allowed).toContain(k);
    if (el.type === 'RichTextBlock') {
      for (const run of el['inlines'] as Array<Record<string, unknown>>) {
        expect(run['type']).toBe('TextRun');
        expect(typeof run['text']).toBe('string');
        for (const k of Object.keys(run)) expect(RUN_KEYS).toContain(k);
      }
    }
  }
}

const runsOf = (card: ReturnType<typeof renderAdaptiveCard>): Array<Record<string, unknown>> =>
  card.body.flatMap((e) => (e['inlines'] as Array<Record<string, unknown>> | undefined) ?? []);

describe('renderAdaptiveCard', () => {
  const every: Block[] = [
    heading('payments-api'),
    text(['Owned by ', strong('Payments'), ' · ', code('payments-api'), ' · ', link('https://wiki.acme.example/pay', 'wiki')]),
    fields([['Team', 'Payments'], ['On call', [mention({ name: 'Ana Ruiz', teamsId: '29:ana' })]]]),
    divider(),
    list([['one'], ['two']], 3),
    context('source: catalog'),
    actions([urlButton('Runbook', 'https://runbooks.acme.example/pay'), button('Snooze', 'snooze', 'payments-api docs 7', 'danger')]),
  ];

  it('renders every block kind into schema 1.5 elements', () => {
    const card = renderAdaptiveCard(reply('payments-api is owned by Payments', every));
    checkStructure(card);
    const runs = runsOf(card);
    expect(runs[0]).toMatchObject({ text: 'payments-api', size: 'Large', weight: 'Bolder' });
    expect(runs).toContainEqual(expect.objectContaining({ text: 'Payments', weight: 'Bolder' }));
    expect(runs).toContainEqual(expect.objectContaining({ text: 'payments-api', fontType: 'Monospace' }));
    expect(runs).toContainEqual(expect.objectContaining({ text: 'wiki', selectAction: { type: 'Action.OpenUrl', url: 'https://wiki.acme.example/pay' } }));
    expect(runs).toContainEqual(expect.objectContaining({ text: 'Team: ', weight: 'Bolder' }));
    expect(runs).toContainEqual(expect.objectContaining({ text: 'Ana Ruiz' }));
    expect(runs).toContainEqual(expect.objectContaining({ text: '…and 3 more' }));
    expect(runs).toContainEqual(expect.objectContaining({ text: 'source: catalog', isSubtle: true, size: 'Small' }));
    // The divider is the separator of the element after it.
    expect(card.body.find((e) => e['separator'] === true)).toMatchObject({ inlines: [{ text: '• ' }, { text: 'one' }] });
    const set = card.body.find((e) => e.type === 'ActionSet')!;
    expect(set['actions']).toEqual([
      { type: 'Action.OpenUrl', title: 'Runbook', url: 'https://runbooks.acme.example/pay' },
      { type: 'Action.Submit', title: 'Snooze', data: { steward: 'snooze', value: 'payments-api docs 7' }, style: 'destructive' },
    ]);
    expect(card.fallbackText).toBe('payments-api is owned by Payments');
  });

  it('keeps catalog text as data: Markdown, <at> mentions and HTML arrive as typed, in TextRuns', () => {
    const evil = '**bold** [click](https://evil.example) <at>Everyone</at> <b>x</b> - item\n1. one &amp;';
    const card = renderAdaptiveCard(reply(evil, [heading(evil), text(evil), fields([[evil, evil]]), list([[evil]]), context(evil)]));
    checkStructure(card);
    // No TextBlock or FactSet (both read Markdown) and no msteams mention entities.
    expect(JSON.stringify(card)).not.toMatch(/"TextBlock"|"FactSet"|"entities"/);
    for (const run of runsOf(card).filter((r) => r['text'] !== '• ')) expect(String(run['text'])).toContain('**bold** [click](https://evil.example) <at>Everyone</at>');
  });

  it('never links a javascript: or malformed URL; the label and URL are shown as text', () => {
    const card = renderAdaptiveCard(reply('x', [text([link('javascript:alert(1)', 'pay')]), actions([urlButton('Open', 'javascript:alert(1)'), urlButton('Bad', 'https://')])]));
    expect(runsOf(card)).toEqual([{ type: 'TextRun', text: 'pay (javascript:alert(1))' }]);
    expect(card.body.some((e) => e.type === 'ActionSet')).toBe(false);
  });

  it('stays within the budget with an "…and N more" line, and the footer survives', () => {
    const items = Array.from({ length: 2000 }, (_, i) => [`service-${i} — ${'x'.repeat(40)}`]);
    const footer = [{ type: 'ActionSet', actions: [{ type: 'Action.Submit', title: 'Post to channel', data: { steward: 'post_to_channel', value: 'search x' } }] }];
    const card = renderAdaptiveCard(reply('2000 services', [heading('Search'), list(items, 500)]), { budgetBytes: 28 * 1024, footer });
    checkStructure(card);
    expect(cardBytes(card)).toBeLessThanOrEqual(28 * 1024);
    const shownItems = card.body.filter((e) => JSON.stringify(e).includes('service-')).length;
    expect(shownItems).toBeGreaterThan(10);
    const more = runsOf(card).find((r) => String(r['text']).startsWith('…and '));
    // Hidden items plus the list's own "500 more" are counted together.
    expect(more?.['text']).toBe(`…and ${2000 - shownItems + 500} more`);
    expect(card.body.at(-1)).toEqual(footer[0]);
  });

  it('a configurable budget: a smaller one shows less', () => {
    const items = Array.from({ length: 300 }, (_, i) => [`service-${i}`]);
    const big = renderAdaptiveCard(reply('x', [list(items)]), { budgetBytes: 28 * 1024 });
    const small = renderAdaptiveCard(reply('x', [list(items)]), { budgetBytes: 4 * 1024 });
    expect(cardBytes(small)).toBeLessThanOrEqual(4 * 1024);
    expect(small.body.length).toBeLessThan(big.body.length);
  });

  it('cuts one enormous text instead of refusing the card', () => {
    const card = renderAdaptiveCard(reply('x', [text('y'.repeat(100_000))]));
    expect(cardBytes(card)).toBeLessThanOrEqual(28 * 1024);
    expect(String(runsOf(card)[0]!['text']).endsWith('…')).toBe(true);
  });

  it('an empty reply still says something (its fallback)', () => {
    const card = renderAdaptiveCard({ fallback: 'Nothing found', blocks: [], visibility: 'caller' });
    expect(runsOf(card)).toEqual([{ type: 'TextRun', text: 'Nothing found' }]);
  });
});
