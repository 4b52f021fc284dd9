import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Action, Reply } from '../../src/core/message/index.js';
import { clickedCommand } from '../../src/core/message/index.js';
import { nudgeReply } from '../../src/core/jobs/index.js';
import { homeView } from '../../src/core/commands/index.js';
import type { FixWorld } from './support/fix-world.js';
import { startFixWorld } from './support/fix-world.js';
import { FIXED_NOW } from '../support/test-bot.js';

const ANA = 'ana.ruiz@acme.example';

const buttons = (r: Reply): Array<Extract<Action, { type: 'button' }>> =>
  r.blocks.flatMap((b) => (b.kind === 'actions' ? b.actions : [])).filter((a): a is Extract<Action, { type: 'button' }> => a.type === 'button');

describe('"Open a fix PR" beside each fixable failing check', () => {
  let world: FixWorld;
  beforeEach(async () => {
    world = await startFixWorld();
    // The sync would record this from the repository: a five-byte README fails the readme check.
    world.bot.steward.stores.facts.putFacts('component:default/payments-api', [{ key: 'readme.bytes', value: 5, source: 'github', observedAt: FIXED_NOW }], FIXED_NOW);
  });
  afterEach(async () => world.close());

  it('health offers it, and the click (a command, through the router) opens the pull request and links it', async () => {
    const health = await world.bot.say('health payments-api documentation', { as: ANA });
    const fix = buttons(health.reply).filter((b) => b.id === 'command:fix');
    // TechDocs and the README fail; both have a file fix, and the repository is known.
    expect(fix.map((b) => [b.label, b.value])).toEqual([
      ['Open a fix PR: Non-trivial README', 'fix component:default/payments-api documentation/readme'],
      ['Open a fix PR: TechDocs published', 'fix component:default/payments-api documentation/techdocs'],
    ]);
    // The description (no file fix) has none, and the guides stay.
    expect(buttons(health.reply).map((b) => b.label)).not.toContain('Open a fix PR: Description in the catalog');

    const click = clickedCommand(fix[1]!.id, fix[1]!.value)!;
    const answer = await world.bot.say(click, { as: ANA });
    expect(answer.outcome).toBe('ok');
    expect(answer.text).toContain('opened a pull request for Documentation health / TechDocs published: acme/payments#1');
    expect(world.writes.pulls).toHaveLength(1);
  });

  it("the Home tab offers it too, before the checks' guides", async () => {
    const { steward } = world.bot;
    const ana = steward.catalog.personByEmail(ANA)!;
    const page = await homeView(
      { catalog: steward.catalog, clock: steward.clock, scoring: steward.scoring, fixes: steward.fixes },
      { id: 'U0ANA', email: ANA, person: ana },
    );
    const values = buttons(page).filter((b) => b.id === 'command:fix').map((b) => b.value);
    expect(values).toContain('fix component:default/payments-api documentation/techdocs');
    // Without the fix service the same page links the guides only.
    const plain = await homeView({ catalog: steward.catalog, clock: steward.clock, scoring: steward.scoring }, { id: 'U0ANA', email: ANA, person: ana });
    expect(buttons(plain).filter((b) => b.id === 'command:fix')).toEqual([]);
  });

  it('is not offered for a service whose repository nobody recorded', async () => {
    const health = await world.bot.say('health billing-worker documentation', { as: ANA });
    expect(health.outcome).toBe('ok');
    expect(buttons(health.reply).filter((b) => b.id === 'command:fix')).toEqual([]);
  });

  it('nudges carry it where a pull request can fix the check, beside Snooze and Not my service', async () => {
    const entity = world.bot.steward.catalog.get('component:default/payments-api')!;
    const results = world.bot.steward.scoring.evaluate(entity, { scorecardIds: ['documentation'] });
    const failing = results.flatMap((result) => result.checks.filter((c) => c.state === 'fail').map((check) => ({ result, check })));
    const fixable = (ref: string, check: (typeof failing)[number]['check']['check']): boolean => {
      const e = world.bot.steward.catalog.get(ref);
      return e !== undefined && world.bot.steward.fixes.canOffer(e, check);
    };
    const nudge = nudgeReply(failing, 5, { fixable });
    const labels = nudge.blocks.filter((b) => b.kind === 'actions').map((b) => (b.kind === 'actions' ? b.actions.map((a) => a.label) : []));
    expect(labels).toContainEqual(['Snooze 7 days', 'Not my service', 'Open a fix PR']);
    expect(buttons(nudge).filter((b) => b.id === 'command:fix').map((b) => b.value)).toEqual([
      'fix component:default/payments-api documentation/readme',
      'fix component:default/payments-api documentation/techdocs',
    ]);
    // A team channel message has no buttons at all: a click would speak for one person only.
    expect(buttons(nudgeReply(failing, 5, { team: 'Payments', fixable })).filter((b) => b.id === 'command:fix')).toEqual([]);
  });
});
