import { BotError } from '../errors.js';
import type { ScoringService } from './scoring-service.js';

/** The scoring service from a command's context; its absence is a wiring bug, logged with a reference id. */
export function requireScoring(scoring: ScoringService | undefined): ScoringService {
  if (!scoring) throw new BotError('scoring_not_wired', 'the scoring service is not wired into the command services');
  return scoring;
}
