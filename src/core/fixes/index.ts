export type { FixCaller, FixOutcome, FixPreview, FixService, FixDeps, FixTarget } from './fix-service.js';
export { createFixService, FIX_NOT_POSSIBLE } from './fix-service.js';
export type { FixWriter, OpenedPullRequest, PullRequestDraft, PullRequestRef, RepositoryDirectory, RepositorySlug, RepositoryView, Reviewers } from './fix-ports.js';
export type { CatalogInfoEditor, FileChange, FixPlan, FixPlanInput } from './plan-fix.js';
export { CATALOG_INFO, describeChanges, fixPaths, planFix } from './plan-fix.js';
export type { FixLink, FixValues, Rendered, TemplateFormat } from './render-template.js';
export { escapeMarkdown, formatOf, renderTemplate } from './render-template.js';
export { FIX_BUTTON_LABEL, fixButton, fixOutcomeReply } from './fix-reply.js';
