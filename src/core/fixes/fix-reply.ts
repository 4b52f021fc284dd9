import type { Action, Reply } from '../message/index.js';
import { commandButton, context, link, reply, strong, text } from '../message/index.js';
import type { FixOutcome } from './fix-service.js';

/** The label every surface uses, so people learn one button. */
export const FIX_BUTTON_LABEL = 'Open a fix PR';

/**
 * The "Open a fix PR" button for one failing check: a command button, so a click runs
 * `fix <service> <scorecard>/<check>` through the router like typed text (permission-checked
 * there). For `health`, the nudges and the Home tab alike; offer it only when
 * `FixService.canOffer` says a pull request can fix the check.
 */
export function fixButton(service: string, scorecardId: string, checkId: string, checkTitle?: string): Action {
  const label = checkTitle ? `${FIX_BUTTON_LABEL}: ${checkTitle}` : FIX_BUTTON_LABEL;
  // Slack caps a button's text at 75 characters.
  return commandButton(label.length > 75 ? `${label.slice(0, 74)}…` : label, ['fix', service, `${scorecardId}/${checkId}`], 'primary');
}

/** The answer once the pull request is open, or found open already: it links it. */
export function fixOutcomeReply(outcome: FixOutcome): Reply {
  const { target, pullRequest } = outcome;
  const what = `${target.scorecard.title} / ${target.check.title}`;
  const where = `${target.repo.owner}/${target.repo.name}#${pullRequest.number}`;
  if (outcome.kind === 'linked') {
    return reply(`A fix pull request for ${target.entity.name} (${what}) is already open: ${pullRequest.url}`, [
      text([strong(target.entity.name), `: a pull request for ${what} is already open: `, link(pullRequest.url, where), '.']),
      context(`Branch ${pullRequest.branch}. Review and merge it; the check passes after the next sync.`),
    ]);
  }
  const opened = outcome.pullRequest;
  const reviewers = opened.reviewersRequested.length > 0 ? ` Review asked of ${opened.reviewersRequested.join(', ')}.` : '';
  return reply(`Opened a fix pull request for ${target.entity.name} (${what}): ${pullRequest.url}`, [
    text([strong(target.entity.name), `: opened a pull request for ${what}: `, link(pullRequest.url, where), '.']),
    context(`Branch ${pullRequest.branch}.${reviewers}${opened.reviewerProblem ? ` ${opened.reviewerProblem}.` : ''} Once it is merged, the check passes after the next sync.`),
  ]);
}
