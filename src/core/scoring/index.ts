export type { CatalogEdit, CheckFix, CompiledCheck, CompiledScorecard, CompileOptions, FixFile } from './compile-scorecard.js';
export { compileScorecard, hasFileFix } from './compile-scorecard.js';
export { catalogFact, entityTier } from './catalog-facts.js';
export type { CheckResult, CheckState, ScorecardResult } from './evaluate-scorecard.js';
export { counts, evaluateScorecard } from './evaluate-scorecard.js';
export type { Exemption } from './exemption.js';
export { exemptionEnd, isExemptionActive, parseDay } from './exemption.js';
export type { Fact, FactValue } from './fact.js';
export type { FactProvenance } from './fact-provenance.js';
export { ago, describeProvenance, provenanceOf, sourceName } from './fact-provenance.js';
export { CATALOG_FACT_PREFIX, checkFacts, FACT_KEY, MAX_FACTS_PER_PUSH, factKeySchema, factValueSchema, formatFactValue, parseFactDate, parseFactText } from './fact.js';
export { isoWeek, isoWeekEnd, isoWeekStart } from './iso-week.js';
export { levelLabel, resultLine } from './describe-result.js';
export type { CompiledRule, RuleDefinition, RuleOutcome, RuleStatus } from './rule-kinds.js';
export { compileRule, factsRead, RULE_KINDS, ruleSchema } from './rule-kinds.js';
export type { CheckDefinition, DefinitionIssue, FixDefinition, ParsedScorecard, RolloutPhase, ScorecardDefinition, ScorecardFilter } from './scorecard-schema.js';
export { DEFAULT_LEVELS, FIX_LINK_VARIABLES, FIX_TEMPLATE_VARIABLES, formatPath, parseScorecard, ROLLOUT_PHASES, scorecardSchema } from './scorecard-schema.js';
export type {
  EntityLister,
  ExemptionStore,
  FactStore,
  NewExemption,
  ResultInput,
  ResultSummary,
  RunRecorder,
  ScoreHistory,
  ScoreRun,
  StandingsStore,
  StateCode,
  StoredResult,
  StoredStandings,
} from './scoring-ports.js';
export type { GateDecision, PushResult, ScoringDeps, ScoringService, Trigger } from './scoring-service.js';
export { createScoringService } from './scoring-service.js';
export type { ServiceSnapshot } from './service-snapshot.js';
export type { CountedResult, OtherOwner, StandingChange, TeamStanding, TeamTotals } from './team-standings.js';
export { applyResult, otherOwners, rankTotals, teamStandings, teamTotals, withChange } from './team-standings.js';
export { requireScoring } from './require-scoring.js';
export { gateReport } from './gate-report.js';
export { notTeamsLine } from './not-teams-line.js';
