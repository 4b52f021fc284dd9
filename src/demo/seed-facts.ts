import { seededRandom } from '../core/seeded-random.js';
import type { Steward } from '../app/create-steward.js';

/**
 * Plausible scorecard facts for the demo catalog, so `health`, `leaderboard` and `team` show a
 * realistic spread of levels instead of a wall of "unknown". Deterministic: the same service
 * always gets the same facts. Only services that have none yet are seeded, so facts pushed by
 * hand during a demo are kept.
 */
export function seedDemoFacts(steward: Steward, now: Date): number {
  let seeded = 0;
  for (const entity of steward.catalog.list(['component'])) {
    if (steward.scoring.snapshot(entity).facts.has('alerts.configured')) continue;
    const r = seededRandom(entity.name);
    const daysAgo = (max: number): string => new Date(now.getTime() - Math.floor(r() * max) * 86_400_000).toISOString().slice(0, 10);
    const chance = (p: number): boolean => r() < p;
    steward.scoring.pushFacts(
      entity,
      {
        'alerts.configured': chance(0.8),
        'slo.defined': chance(0.6),
        'loadtest.last_run': daysAgo(200),
        'sbom.generated_at': daysAgo(60),
        'cve.critical': chance(0.75) ? 0 : 1 + Math.floor(r() * 3),
        'secrets.env_count': chance(0.8) ? 0 : 1 + Math.floor(r() * 4),
        'deps.last_upgrade': daysAgo(150),
        'readme.bytes': 200 + Math.floor(r() * 5000),
        'docs.architecture_updated_at': daysAgo(400),
        'slo.error_budget_remaining': Math.round(-20 + r() * 100),
        'deploys.per_week': Math.round(r() * 12 * 10) / 10,
        'incidents.mttr_hours': Math.round((0.5 + r() * 9.5) * 10) / 10,
        'cost.untagged_resources': chance(0.7) ? 0 : 1 + Math.floor(r() * 5),
        'cost.idle_ratio': Math.round((0.05 + r() * 0.55) * 100) / 100,
        'cost.reserved_coverage': Math.round((0.3 + r() * 0.65) * 100) / 100,
        // Drawn last, so the facts above stay what they were before these checks existed.
        'security.policy': chance(0.7),
        'codeowners.present': chance(0.85),
      },
      { source: 'demo', observedAt: now },
    );
    seeded++;
  }
  return seeded;
}
