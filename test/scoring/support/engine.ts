import type { Entity } from '../../../src/core/catalog/index.js';
import type { RuleDefinition, ScorecardDefinition } from '../../../src/core/scoring/index.js';
import { compileRule, formatPath, parseScorecard, ruleSchema } from '../../../src/core/scoring/index.js';

export { compileRule };

/** A rule validated as a scorecard load would; throws with one `path: message` line per problem. */
export function ruleSchemaFor(raw: unknown): RuleDefinition {
  const r = ruleSchema.safeParse(raw);
  if (r.success) return r.data;
  throw new Error(
    r.error.issues
      .map((i) => {
        if (i.code === 'unrecognized_keys') return `${i.keys.join(', ')}: unknown key`;
        const path = formatPath(i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)));
        return path === '' ? i.message : `${path}: ${i.message}`;
      })
      .join('\n'),
  );
}

/** A scorecard from an object, as if read from YAML; throws listing every problem. */
export function scorecardFor(raw: unknown): ScorecardDefinition {
  const parsed = parseScorecard(raw);
  if (parsed.ok) return parsed.scorecard;
  throw new Error(parsed.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('\n'));
}

/** A Component as the store returns it, with the parts a test cares about. */
export function entity(overrides: { name?: string; metadata?: Record<string, unknown>; spec?: Record<string, unknown>; kind?: string } = {}): Entity {
  const name = overrides.name ?? 'checkout-api';
  return {
    ref: `${(overrides.kind ?? 'Component').toLowerCase()}:default/${name}`,
    kind: overrides.kind ?? 'Component',
    namespace: 'default',
    name,
    title: undefined,
    description: undefined,
    metadata: { name, ...overrides.metadata },
    spec: { type: 'service', lifecycle: 'production', ...overrides.spec },
    source: { file: 'catalog.yaml', line: 1 },
    flags: [],
  };
}
