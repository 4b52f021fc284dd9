import { readFileSync } from 'node:fs';
import type { FakeRepo } from '../test/support/fake-github.js';
import { startFakeGithub } from '../test/support/fake-github.js';
import { startFakePrometheus } from '../test/support/fake-prometheus.js';

/**
 * The fake GitHub and Prometheus of bench/jobs.ts in a process of their own, so the thousands of
 * answers they serve never show up as the measured server's event-loop delay. `fakes-child.ts
 * <repos> <file of service names, one a line>` prints one JSON line (their URLs and the token), then serves until killed.
 */
const [reposArg, servicesArg = ''] = process.argv.slice(2);
const count = Number(reposArg);
const services = servicesArg ? readFileSync(servicesArg, 'utf8').split('\n').filter(Boolean) : [];
const repos = Array.from({ length: count }, (_, i): FakeRepo => {
  const name = `repo-${String(i).padStart(5, '0')}`;
  return {
    name,
    files: {
      'README.md': `# ${name}\n${'words '.repeat(120)}`,
      '.github/CODEOWNERS': `* @acme/team-${i % 40}\n`,
      'catalog-info.yaml': `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: production\n  owner: team-${i % 40}\n`,
      ...(i % 3 === 0 ? { 'SECURITY.md': 'report to security@' } : {}),
    },
    protected: i % 2 === 0,
    releases: ['2026-11-20T00:00:00Z'],
  };
});
const github = await startFakeGithub({
  org: 'acme',
  repos,
  teams: Array.from({ length: 40 }, (_, t) => ({ slug: `team-${t}`, name: `Team ${t}`, members: [`dev-${t}`] })),
  people: Array.from({ length: 40 }, (_, t) => ({ login: `dev-${t}`, name: `Developer ${t}`, email: `dev${t}@acme.example` })),
});
// An alerting rule for every other service: alerts.configured for the whole catalog in one read.
const prometheus = await startFakePrometheus({ rules: services.filter((_, i) => i % 2 === 0).map((s) => ({ name: `${s}-down`, labels: { service: s } })) });
process.stdout.write(`${JSON.stringify({ github: github.url, token: github.token, prometheus: prometheus.url })}\n`);
