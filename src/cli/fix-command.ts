import { CommandError, InputError } from '../core/errors.js';
import { FIX_NOT_POSSIBLE, describeChanges } from '../core/fixes/index.js';
import type { CliCommand } from './cli-kit.js';
import { EXIT, configFrom, openSteward, parseCli } from './cli-kit.js';
import { findService } from './score-command.js';

/** Answers that mean "not possible here" (exit 1); the other CommandErrors are bad usage (exit 2). */
const NOT_POSSIBLE = new Set([FIX_NOT_POSSIBLE, 'not_found']);

/**
 * `steward fix <service> <scorecard>/<check> [--dry-run]`: the chat command's pull request, opened
 * as the operator (no owner check: whoever runs the CLI runs Steward). `--dry-run` reads the
 * repository and prints the change; it writes nothing, on GitHub or in the database.
 */
export const fixCommand: CliCommand = {
  name: 'fix',
  usage: 'fix <service> <scorecard>/<check> [--dry-run]',
  summary: 'open a pull request that fixes a check where a file is the fix (needs GITHUB_TOKEN); --dry-run prints the change and writes nothing',
  async run(args, io) {
    const { values, positionals } = parseCli(args, { 'dry-run': { type: 'boolean' } }, true);
    const [service, check, ...extra] = positionals;
    if (service === undefined || check === undefined) {
      throw new InputError('fix needs a service and a check: steward fix payments-api documentation/techdocs [--dry-run]');
    }
    if (extra.length > 0) throw new InputError(`fix takes one service and one check; unexpected ${extra.join(' ')}`);
    const steward = openSteward(configFrom(io, values));
    try {
      const target = steward.fixes.resolve(findService(steward, service), check);
      const where = `${target.repo.owner}/${target.repo.name}`;
      if (values['dry-run']) {
        const p = await steward.fixes.preview(target);
        if (p.openPullRequest) {
          io.out(`A pull request for this fix is already open (nothing would be written): ${p.openPullRequest.url}\n`);
          return EXIT.ok;
        }
        if (!p.plan.ok) {
          io.err(`steward: no pull request for ${target.entity.name}: ${p.plan.reason}.\n`);
          return EXIT.negative;
        }
        io.out(
          `Dry run: would open a pull request on ${where} against ${p.base}, from a new branch ${target.branchPrefix}, ` +
            `fixing ${target.scorecard.id}/${target.check.id} for ${target.entity.name}. Nothing was written.\n\n${describeChanges(p.plan.changes)}`,
        );
        return EXIT.ok;
      }
      const outcome = await steward.fixes.open(target);
      const pr = outcome.pullRequest;
      if (outcome.kind === 'linked') io.out(`Already open (not opened twice): ${pr.url}\n`);
      else {
        const asked = outcome.pullRequest.reviewersRequested;
        io.out(`Opened ${pr.url}\nBranch ${pr.branch} on ${where}${asked.length > 0 ? `; review asked of ${asked.join(', ')}` : ''}.\n`);
        if (outcome.pullRequest.reviewerProblem) io.err(`steward: warning: ${outcome.pullRequest.reviewerProblem}\n`);
      }
      return EXIT.ok;
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      io.err(`steward: ${err.message}${err.hint ? ` ${err.hint}` : ''}\n`);
      return NOT_POSSIBLE.has(err.code) ? EXIT.negative : EXIT.usage;
    } finally {
      steward.close();
    }
  },
};
