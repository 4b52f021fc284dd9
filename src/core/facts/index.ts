export type { CollectContext, CollectedFact, CollectorOutcome, FactCollector, UnknownCollectedFact } from './fact-collector.js';
export type { CollectFactsDeps, CollectFactsOptions, CollectReport, SourceSummary } from './collect-facts.js';
export { collectFacts } from './collect-facts.js';
export type { FactsCollectJob, FactsCollectStatus } from './collect-job.js';
export { createFactsCollectJob } from './collect-job.js';
export type { ParsedReport, ReadReport, ReportFormat } from './report-format.js';
export type { ReportPush } from './report-format.js';
export { REPORT_FORMATS, reportPushes } from './report-format.js';
