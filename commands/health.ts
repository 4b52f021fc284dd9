import { z } from 'zod';
import { defineCommand, requiredText } from '../src/core/commands/index.js';
import { SERVICE_KINDS, requireEntity } from '../src/core/catalog/index.js';
import type { Action, Block, Inline } from '../src/core/message/index.js';
import { actions, code, context, divider, heading, list, reply, strong, text, urlButton } from '../src/core/message/index.js';
import type { CheckResult, ScorecardResult } from '../src/core/scoring/index.js';
import { describeProvenance, levelLabel, requireScoring, resultLine } from '../src/core/scoring/index.js';
import type { Entity } from '../src/core/catalog/index.js';
import type { FixService } from '../src/core/fixes/index.js';
import { fixButton } from '../src/core/fixes/index.js';
import { capped, nameWithTitle, servicePage } from './describe.js';

/** Per scorecard: failing checks listed, fix buttons (Slack allows 25 per block; a handful reads better). */
const MAX_FAILING = 5;
const MAX_FAILING_ONE = 12;
const MAX_BUTTONS = 5;
const MAX_OTHER = 5;

const day = (d: Date): string => d.toISOString().slice(0, 10);

/** Most important first: the lowest level a check blocks, then its weight. */
const byImportance = (a: CheckResult, b: CheckResult): number =>
  a.check.levelRank - b.check.levelRank || b.check.weight - a.check.weight || a.check.id.localeCompare(b.check.id);

/** ` From PagerDuty, 2 h ago.`: where the facts a check read came from, so a wrong value can be chased. */
const reported = (c: CheckResult, now: Date): string[] =>
  c.provenance.length === 0 ? [] : [` From ${c.provenance.map((p) => describeProvenance(p, now)).join('; ')}.`];

function resultBlocks(result: ScorecardResult, since: Map<string, Date>, detailed: boolean, fix: { entity: Entity; fixes: FixService | undefined }): Block[] {
  const blocks: Block[] = [text(strong(resultLine(result)))];
  const failing = result.checks.filter((c) => c.state === 'fail').sort(byImportance);
  const unknown = result.checks.filter((c) => c.state === 'unknown').sort(byImportance);
  const exempt = result.checks.filter((c) => c.state === 'exempt').sort(byImportance);

  if (failing.length > 0) {
    const { shown, more } = capped(failing, detailed ? MAX_FAILING_ONE : MAX_FAILING);
    blocks.push(
      list(
        shown.map((c): Inline[] => {
          const from = since.get(c.check.id);
          return [
            '✗ ',
            strong(c.check.title),
            ` (${levelLabel(c.check.level)}): ${c.check.fix.how}`,
            ...(detailed ? [` Seen: ${c.evidence}.`] : []),
            ...(from ? [` Failing since ${day(from)}.`] : []),
            ...(detailed ? reported(c, result.evaluatedAt) : []),
          ];
        }),
        more,
      ),
    );
    const buttons: Action[] = shown
      .filter((c) => c.fixUrl !== undefined)
      .slice(0, MAX_BUTTONS)
      .map((c) => urlButton(`Fix: ${c.check.title}`, c.fixUrl!));
    // Beside the guides, a button that does the work where a file is the fix: it runs `fix`.
    const prs: Action[] = shown
      .filter((c) => fix.fixes?.canOffer(fix.entity, c.check) === true)
      .slice(0, MAX_BUTTONS)
      .map((c) => fixButton(fix.entity.ref, result.scorecard.id, c.check.id, c.check.title));
    if (buttons.length + prs.length > 0) blocks.push(actions([...buttons, ...prs]));
  }
  if (unknown.length > 0) {
    const { shown, more } = capped(unknown, MAX_OTHER);
    blocks.push(list(shown.map((c): Inline[] => ['? ', strong(c.check.title), `: unknown, ${c.evidence}`, ...reported(c, result.evaluatedAt)]), more));
  }
  if (exempt.length > 0) {
    const { shown, more } = capped(exempt, MAX_OTHER);
    blocks.push(
      list(
        shown.map((c): Inline[] => [
          '~ ',
          strong(c.check.title),
          `: exempt until ${c.exemption!.until} (${c.exemption!.reason}, by ${c.exemption!.createdBy})`,
        ]),
        more,
      ),
    );
  }
  if (detailed) {
    const passing = result.checks.filter((c) => c.state === 'pass').map((c) => c.check.title);
    if (passing.length > 0) blocks.push(context(`Passing: ${passing.join(', ')}.`));
  }
  if (result.nextLevel !== undefined) {
    const needs = result.nextLevelNeeds.map((c) => c.check.title);
    blocks.push(context(`Next level (${levelLabel(result.nextLevel)}) needs: ${needs.join(', ')}.`));
  } else {
    blocks.push(context(`Top level reached (${levelLabel(result.level)}).`));
  }
  return blocks;
}

export default defineCommand({
  name: 'health',
  summary: 'Level and score per scorecard, the failing checks and how to fix them',
  params: ['service', 'scorecard...'],
  args: z.object({
    service: requiredText('service', 'health payments-api'),
    scorecard: z.string().trim().min(1).optional(),
  }),
  examples: ['health payments-api', 'health payments-api security-posture'],
  run({ args, catalog, scoring, signIn, fixes }) {
    const s = requireScoring(scoring);
    const entity = requireEntity(catalog, args.service, SERVICE_KINDS, 'service');
    const name = nameWithTitle(entity);
    const only = args.scorecard !== undefined ? s.requireScorecard(args.scorecard) : undefined;
    // Evaluated now, from the stored facts; recorded so "failing since" and trends have a start.
    const results = s.evaluate(entity, { ...(only ? { scorecardIds: [only.id] } : {}), record: 'chat' });

    // Explicit fallbacks here: the blocks open with the service's name as a heading, and a
    // notification shows only the first line, so the fallback leads with the answer.
    if (results.length === 0) {
      const why = only
        ? `${only.title} does not apply to ${name}: its filter leaves out this ${entity.kind.toLowerCase()}.`
        : `No scorecard applies to ${name}.`;
      return reply(why, [
        heading(name),
        text(why),
        context(['Scorecards: ', ...s.scorecards.flatMap((c, i) => [...(i > 0 ? [', '] : []), code(c.id)]), '.']),
      ]);
    }

    const blocks: Block[] = [heading(name)];
    results.forEach((result, i) => {
      if (i > 0) blocks.push(divider());
      blocks.push(...resultBlocks(result, s.failingSince(entity.ref, result.scorecard.id), only !== undefined, { entity, fixes }));
    });
    const page = servicePage(signIn, entity);
    if (page) blocks.push(actions([urlButton('Open in browser', page)]));
    const unknowns = results.some((r) => r.checks.some((c) => c.state === 'unknown'));
    blocks.push(
      context([
        `Evaluated ${day(results[0]!.evaluatedAt)}.`,
        ...(unknowns
          ? [' Unknown checks wait for facts: ', code('steward facts collect'), ' (PagerDuty, Prometheus), a CI report (', code(`steward facts push ${entity.name} --report FILE`), '), or ', code(`steward facts push ${entity.name} key=value`), '.']
          : []),
        ...(only ? [] : [' Ask ', code(`health ${entity.name} <scorecard>`), ' for one scorecard in detail.']),
      ]),
    );

    // One line for all scorecards, where the blocks list every failing check.
    const fallback = `${name}: ${results
      .map((r) => {
        const failing = r.checks.filter((c) => c.state === 'fail').length;
        return `${resultLine(r)}${failing > 0 ? ` (${failing} failing)` : ''}`;
      })
      .join('; ')}.`;
    return reply(fallback, blocks);
  },
});
