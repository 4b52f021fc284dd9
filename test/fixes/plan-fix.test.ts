import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompiledCheck } from '../../src/core/scoring/index.js';
import type { FixValues } from '../../src/core/fixes/index.js';
import { describeChanges, planFix, renderTemplate } from '../../src/core/fixes/index.js';
import { editCatalogInfo } from '../../src/infra/backstage/edit-catalog-info.js';
import { readScorecards } from '../../src/infra/scorecards/read-scorecards.js';
import { loadScorecards } from '../../src/infra/scorecards/load-scorecards.js';
import { SCORECARD_FIXTURES } from '../scoring/support/scoring-bot.js';

const cards = loadScorecards();
const check = (ref: string): CompiledCheck => {
  const [card, id] = ref.split('/');
  return cards.find((c) => c.id === card)!.checks.find((c) => c.id === id)!;
};

const HOSTILE: FixValues = {
  name: 'payments-api',
  title: 'Payments *API*',
  description: 'Takes <!channel> payments & [refunds](javascript:alert(1))\n# not a heading',
  owner: 'team-payments',
  system: 'money',
  links: [
    { url: 'https://runbooks.acme.example/payments-api', title: 'Runbook [prod]', type: 'runbook' },
    { url: 'javascript:alert(1)', title: 'evil' },
  ],
  repo: 'acme/payments',
  codeowners: ['@acme/payments'],
};

describe('fix templates: catalog text is data in every format', () => {
  it('Markdown: escaped, one line, no links or HTML from the catalog; only http(s) links listed', () => {
    const r = renderTemplate('# {{title}}\n\n{{description}}\n\n{{links}}\n', 'README.md', HOSTILE);
    expect(r).toEqual({
      ok: true,
      text:
        '# Payments \\*API\\*\n\n' +
        'Takes \\<\\!channel\\> payments &amp; \\[refunds\\]\\(javascript:alert\\(1\\)\\) \\# not a heading\n\n' +
        '- [Runbook \\[prod\\]](https://runbooks.acme.example/payments-api)\n',
    });
  });

  it('YAML: quoted strings, so a colon, a hash or a newline cannot change the document', () => {
    const r = renderTemplate('site_name: {{title}}\nsite_description: {{description}}\n', 'mkdocs.yml', { ...HOSTILE, description: 'a: b # c\nd' });
    expect(r).toEqual({ ok: true, text: 'site_name: "Payments *API*"\nsite_description: "a: b # c d"\n' });
  });

  it('a file that needs an owner nobody recorded is not written; optional fields read as empty', () => {
    expect(renderTemplate('* {{codeowners}}\n', 'CODEOWNERS', { ...HOSTILE, codeowners: [] })).toEqual({
      ok: false,
      reason: 'CODEOWNERS needs {{codeowners}}, and its owner has no GitHub team or login in the catalog (github.com/team-slug or github.com/user-login)',
    });
    expect(renderTemplate('System: {{system}}.', 'README.md', { ...HOSTILE, system: undefined })).toEqual({ ok: true, text: 'System: .' });
  });
});

describe('planning a fix', () => {
  const values: FixValues = { ...HOSTILE, title: 'Payments API', description: 'Takes card payments.' };

  it('adds what is missing, keeps what exists, and edits catalog-info.yaml keeping its comments', () => {
    const info = '# keep me\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments-api # named\nspec:\n  owner: team-payments\n---\n# an API, untouched\nkind:   API\nmetadata: { name: payments-rest }\n';
    const plan = planFix({ check: check('documentation/techdocs'), values, existing: new Map([['mkdocs.yml', 'site_name: x'], ['catalog-info.yaml', info]]), editCatalogInfo });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.kept).toEqual(['mkdocs.yml']);
    expect(plan.changes.map((c) => [c.path, c.action])).toEqual([
      ['docs/index.md', 'add'],
      ['catalog-info.yaml', 'edit'],
    ]);
    expect(plan.changes[1]!.after).toBe(
      '# keep me\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments-api # named\n  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec:\n  owner: team-payments\n---\n# an API, untouched\nkind:   API\nmetadata: { name: payments-rest }\n',
    );
    expect(describeChanges([plan.changes[1]!])).toBe(
      '--- catalog-info.yaml\n+++ catalog-info.yaml\n  # keep me\n  apiVersion: backstage.io/v1alpha1\n  kind: Component\n  metadata:\n    name: payments-api # named\n+   annotations:\n+     backstage.io/techdocs-ref: dir:.\n  spec:\n    owner: team-payments\n  ---\n  # an API, untouched\n  kind:   API\n  metadata: { name: payments-rest }\n',
    );
  });

  it('says why not when there is nothing to do or nothing it can do', () => {
    expect(planFix({ check: check('documentation/readme'), values, existing: new Map([['README.md', 'hi']]), editCatalogInfo })).toEqual({
      ok: false,
      reason: 'nothing to add: the repository already has README.md',
    });
    // Dependabot already updates dependencies: no Renovate config beside it.
    expect(planFix({ check: check('security-posture/dependencies-fresh'), values, existing: new Map([['.github/dependabot.yml', 'version: 2']]), editCatalogInfo })).toEqual({
      ok: false,
      reason: 'nothing to add: the repository already has .github/dependabot.yml',
    });
    expect(planFix({ check: check('production-readiness/alerts'), values, existing: new Map(), editCatalogInfo })).toMatchObject({ ok: false, reason: expect.stringContaining('Alerts configured has no file fix') });
    const otherName = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n---\nkind: Component\nmetadata:\n  name: b\n';
    expect(planFix({ check: check('documentation/techdocs'), values, existing: new Map([['catalog-info.yaml', otherName]]), editCatalogInfo })).toEqual({
      ok: false,
      reason: 'cannot edit catalog-info.yaml: no Component named payments-api in it',
    });
    expect(planFix({ check: check('documentation/techdocs'), values, existing: new Map([['catalog-info.yaml', 'kind: [oops']]), editCatalogInfo })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^cannot edit catalog-info\.yaml: not valid YAML at line 1: /),
    });
  });

  it('CODEOWNERS from the catalog\'s owner, SECURITY.md, Renovate: each where the repository has none', () => {
    const codeowners = planFix({ check: check('production-readiness/codeowners'), values, existing: new Map(), editCatalogInfo });
    expect(codeowners).toMatchObject({ ok: true, changes: [{ path: '.github/CODEOWNERS', action: 'add', after: expect.stringContaining('\n* @acme/payments\n') }] });
    expect(planFix({ check: check('production-readiness/codeowners'), values, existing: new Map([['CODEOWNERS', '* @someone']]), editCatalogInfo })).toMatchObject({ ok: false });
    const security = planFix({ check: check('security-posture/security-policy'), values, existing: new Map(), editCatalogInfo });
    expect(security).toMatchObject({ ok: true, changes: [{ path: 'SECURITY.md', after: expect.stringContaining('# Security policy for Payments API') }] });
    const renovate = planFix({ check: check('security-posture/dependencies-fresh'), values, existing: new Map(), editCatalogInfo });
    expect(renovate.ok && JSON.parse(renovate.changes[0]!.after)).toMatchObject({ extends: ['config:recommended'] });
  });

  it('renders the default templates for a real service without a placeholder left', () => {
    const plan = planFix({ check: check('documentation/techdocs'), values, existing: new Map(), editCatalogInfo });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    for (const c of plan.changes) expect(c.after).not.toMatch(/\{\{/);
    const info = plan.changes.find((c) => c.path === 'catalog-info.yaml')!.after;
    expect(info).toContain('  owner: "team-payments"');
    expect(info).toContain('    backstage.io/techdocs-ref: dir:.');
  });
});

describe('bad fix: config', () => {
  it('is reported with the file and line, like every scorecard problem, templates included', () => {
    const { problems, scorecards } = readScorecards([join(SCORECARD_FIXTURES, 'fixes-broken')]);
    const lines = problems.map((p) => `${p.file.replace(/^.*fixes-broken\//, '')}:${p.line}: ${p.message}`);
    expect(lines).toEqual([
      'broken-fixes.yaml:11: checks[0].fix.files[0].path: must be a relative path without .. or //, e.g. docs/index.md',
      'broken-fixes.yaml:20: checks[1].fix.files: must be a list of { path, template }',
      'broken-fixes.yaml:21: checks[1].fix.catalog: a catalog fix adds annotations or links',
      'broken-fixes.yaml:29: checks[2].fix.catalog.links[0].url: must be an absolute URL',
      'broken-fixes.yaml:30: checks[2].fix.catalog.labels: unknown key',
      'broken-fixes.yaml:13: checks[0].fix.files[2].path: README.md is already the path of files[1]',
      'fixes/readme.md:3: unknown placeholder {{team}}; a fix template may use {{name}} {{title}} {{description}} {{owner}} {{system}} {{links}} {{repo}} {{codeowners}}',
      "template-problems.yaml:12: checks[0].fix.files[1].template: template test/fixtures/scorecards/fixes-broken/fixes/missing.md not found (paths are relative to the scorecard's folder)",
    ]);
    expect(scorecards).toEqual([]);
  });
});
