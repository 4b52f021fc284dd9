import { InputError } from '../core/errors.js';
import type { CliCommand } from './cli-kit.js';
import { EXIT, configFrom, openSteward, parseCli } from './cli-kit.js';
import type { DeliveryReport, LedgerEntry, PlannedDelivery } from '../core/jobs/index.js';
import type { OutreachSetup } from '../jobs.js';
import type { Platform } from '../core/commands/index.js';
import type { Messenger } from '../core/messaging/index.js';

const REASONS: Record<string, string> = {
  opted_out: 'opted out',
  cooldown: 'nudged within the cooldown',
  quiet_hours: 'in their quiet hours',
  not_working_day: 'not a working day for them',
  on_call: 'on call',
  unreachable: 'nobody reachable, no team channel',
  nothing_failing: 'nothing left after snoozes and "not my service"',
};

export const nudgeCommand: CliCommand = {
  name: 'nudge',
  usage: 'nudge [--send]',
  summary: 'lists the nudges that are due (dry run), or sends them',
  async run(args, io) {
    const { values } = parseCli(args, { send: { type: 'boolean' } });
    const config = configFrom(io, values);
    const steward = openSteward(config);
    try {
      // Loaded here, not at the top: it brings the Slack and Teams SDKs, which other commands never need.
      const { createOutreachSetup } = await import('../jobs.js');
      const logger = steward.logger;
      let setup = createOutreachSetup({ steward, config, logger });
      if (setup.messengers.length === 0 && !values.send) {
        // A dry run sends nothing, so it needs no credentials: plan as if Slack and Teams were
        // set up, from the people's ids and emails and the teams' channels in the catalog.
        setup = createOutreachSetup({ steward, config, logger, messengers: [planOnlyMessenger('slack'), planOnlyMessenger('teams')] });
        io.err('steward: no chat platform is configured; planned as if Slack and Teams were (from the catalog). --send needs SLACK_BOT_TOKEN or MICROSOFT_APP_ID.\n');
      }
      const plan = await setup.outreach.planNudges();
      const due = plan.deliveries.filter((d) => !setup.ledger.get(d.key));
      io.out(`${due.length} nudge${due.length === 1 ? '' : 's'} due${plan.deliveries.length > due.length ? ` (${plan.deliveries.length - due.length} already sent this week)` : ''}${due.length > 0 && !values.send ? ', would send' : ''}:\n`);
      for (const d of due) io.out(`  to ${describeTarget(d)}: ${d.reply.fallback}\n`);
      const skipped = new Map<string, string[]>();
      for (const s of plan.skipped) skipped.set(s.reason, [...(skipped.get(s.reason) ?? []), s.subject]);
      for (const [reason, subjects] of skipped) io.out(`skipped, ${REASONS[reason] ?? reason}: ${subjects.join(', ')}\n`);
      const trouble = setup.ledger.list({ status: ['failed', 'uncertain'], limit: 20 });
      for (const t of trouble) io.out(`earlier ${t.status}: ${t.key}: ${t.lastError ?? ''}\n`);
      for (const d of steward.nudges.disowned()) io.out(`not my service: ${d.personRef} says ${d.entityRef} is not theirs (${d.at.toISOString().slice(0, 10)})\n`);
      if (!values.send) {
        if (due.length > 0) io.out('Nothing was sent; add --send to send these.\n');
        return EXIT.ok;
      }
      if (setup.messengers.length === 0) {
        throw new InputError('--send needs a chat platform: set SLACK_BOT_TOKEN (and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN), or MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD for Teams');
      }
      const written = new Set(setup.outreach.record(due));
      const report = await setup.deliver({ maxWaitMs: 5 * 60_000 });
      io.out(`${deliveryLines(setup, due.map((d) => d.key), written, report).join('\n')}\n`);
      return report.failed.length > 0 ? EXIT.negative : EXIT.ok;
    } finally {
      steward.close();
    }
  },
};

/** A messenger for planning only: the dry run never delivers, so any send is a bug. */
function planOnlyMessenger(platform: Platform): Messenger {
  const refuse = (): never => {
    throw new InputError(`a dry run sends nothing: ${platform} is not configured`);
  };
  return { platform, postToChannel: refuse, sendDirect: refuse };
}

/** Lines both `steward leaderboard --post` and `steward nudge --send` print about a delivery pass. */
export function describeTarget(d: PlannedDelivery | LedgerEntry): string {
  return d.target.kind === 'channel' ? `${d.platform} ${d.target.channel}` : `${d.platform} DM ${d.target.person.name}`;
}

export function deliveryLines(setup: OutreachSetup, keys: readonly string[], written: ReadonlySet<string>, report: DeliveryReport): string[] {
  const lines: string[] = [];
  for (const key of keys) {
    const entry = setup.ledger.get(key);
    if (!entry) continue;
    const where = describeTarget(entry);
    const again = written.has(key) ? '' : ' (planned earlier; not sent twice)';
    switch (entry.status) {
      case 'sent':
        lines.push(`sent     ${where}  ${key}${again}`);
        break;
      case 'failed':
        lines.push(`FAILED   ${where}  ${key}: ${entry.lastError ?? 'unknown error'}`);
        break;
      case 'uncertain':
        lines.push(`UNCERTAIN ${where}  ${key}: a crash interrupted the send; check the channel before sending by hand`);
        break;
      default:
        lines.push(`waiting  ${where}  ${key}: ${entry.lastError ?? 'not yet due'}; retried from ${entry.nextAttemptAt.toISOString()} by steward serve`);
    }
  }
  if (report.uncertain.length > 0) lines.push(`${report.uncertain.length} earlier send(s) were interrupted by a crash and marked uncertain: ${report.uncertain.join(', ')}`);
  // Whom this pass could not reach, on every platform, in one line an operator can act on.
  const unreached = keys.map((k) => setup.ledger.get(k)).filter((e): e is LedgerEntry => e?.status === 'failed');
  if (unreached.length > 0) lines.push(`Could not reach ${unreached.length}: ${unreached.map(describeTarget).join('; ')}`);
  return lines;
}
