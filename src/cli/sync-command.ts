import { InputError } from '../core/errors.js';
import type { SyncReport } from '../core/github/index.js';
import { syncGithub } from '../core/github/index.js';
import type { CliCommand, Io } from './cli-kit.js';
import { EXIT, configFrom, openSteward, parseCli } from './cli-kit.js';

/** `steward sync github --org ORG [--repo-pattern GLOB] [--include-archived] [--full]`. */
export const syncCommand: CliCommand = {
  name: 'sync',
  usage: 'sync github [--org ORG] [--repo-pattern GLOB] [--include-archived] [--full]',
  summary: 'import the organisation\'s teams and people, discover its repositories, their catalog-info.yaml or CODEOWNERS owners, record repository facts (defaults from github: in the config)',
  async run(args, io) {
    const { values, positionals } = parseCli(
      args,
      { org: { type: 'string' }, 'repo-pattern': { type: 'string' }, 'include-archived': { type: 'boolean' }, full: { type: 'boolean' } },
      true,
    );
    if (positionals[0] !== 'github' || positionals.length > 1) throw new InputError('sync needs a source: steward sync github --org ORG');
    const config = configFrom(io, values);
    // The config's `github:` section (serve's schedule) gives the defaults; the options win.
    const configured = config.github.sync;
    const org = values.org ?? configured?.org;
    if (!org) throw new InputError('sync github needs --org ORG (the GitHub organisation), or github.org in the config file');
    if (!config.github.token) throw new InputError('sync github needs GITHUB_TOKEN (a token with the repo and read:org scopes)');
    const steward = openSteward(config);
    const progress = progressPrinter(io, 'sync github');
    try {
      // The token was checked before the database was opened, so the Steward has a reader.
      const report = await syncGithub(
        (await steward.githubSync())!,
        {
          org,
          repoPattern: values['repo-pattern'] ?? configured?.repoPattern,
          includeArchived: values['include-archived'] ?? configured?.includeArchived,
          full: values.full,
          onProgress: progress.update,
        },
      );
      progress.done();
      io.out(formatSyncReport(org, report));
      return EXIT.ok;
    } catch (err) {
      progress.done();
      if (err instanceof InputError) throw err;
      io.err(`steward: sync github stopped: ${(err as Error).message}\n`);
      return EXIT.negative;
    } finally {
      steward.close();
    }
  },
};


export function formatSyncReport(org: string, r: SyncReport): string {
  const o = r.organization;
  const lines = [
    `Teams and people: ${o.teams} teams and ${o.people} people read; ${o.matchedTeams} teams and ${o.matchedPeople} people are catalog descriptors already (merged); ${o.added} added, ${o.updated} updated, ${o.removed} removed.`,
    `GitHub ${org}: ${r.seen} repositories seen; ${r.skippedArchived} archived and ${r.skippedPattern} outside the pattern skipped; ${r.unchanged} unchanged since the last sync (not read); ${r.read} read.`,
    `Catalog: ${r.imported} entities imported from re-read repositories, ${r.discovered} components discovered (no catalog-info.yaml), ${r.ownedFromCodeowners} owned from CODEOWNERS, ${r.removed} removed.`,
    `Facts: ${r.facts} recorded; ${r.unknown.reduce((n, u) => n + u.count, 0)} unknown.`,
    ...r.unknown.map((u) => `  unknown ${u.count}×: ${u.reason}`),
    `Requests: ${r.requests.rest} REST (${r.requests.notModified} answered 304 Not Modified), ${r.requests.graphql} GraphQL.`,
  ];
  if (o.noEmail.length > 0) {
    lines.push(
      `No email visible for ${o.noEmail.length} ${o.noEmail.length === 1 ? 'person' : 'people'} (chat cannot reach them): ${o.noEmail.join(', ')}.`,
      `  Fix: they make an email public on their GitHub profile, or the organisation verifies its email domain (members' verified-domain emails then show), or a User descriptor gives spec.profile.email with github.com/user-login.`,
    );
  }
  if (r.problems.length > 0) {
    lines.push(`Problems (${r.problems.length}):`);
    for (const p of r.problems) lines.push(`  ${p.line > 0 ? `${p.file}:${p.line}` : p.file}: ${p.message}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A bar on a terminal, a line per step otherwise (CI logs); `facts collect` shares it. */
export function progressPrinter(io: Io, command: string): { update: (p: { phase: string; done: number; total: number }) => void; done: () => void } {
  const tty = Boolean(io.stderr.isTTY);
  let drawn = false;
  return {
    update({ phase, done, total }) {
      if (tty) {
        const width = 30;
        const filled = total === 0 ? width : Math.round((done / total) * width);
        io.err(`\r${phase.padEnd(7)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
        drawn = true;
      } else io.err(`${command}: ${phase} ${done}/${total}\n`);
    },
    done() {
      if (tty && drawn) io.err('\r\u001b[K');
      drawn = false;
    },
  };
}
