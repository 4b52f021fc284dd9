import { z } from 'zod';
import { toEntityRef } from '../catalog/index.js';
import { InputError } from '../errors.js';
import { parseRotation, rotationDeclarationSchema } from './rotation.js';
import type { Rotation, RotationDeclaration } from './rotation.js';

/**
 * The `oncall:` section of `steward.config.yaml`. Secrets (tokens) come from the environment
 * only; this holds behaviour and the teams' native rotations.
 *
 * ```yaml
 * oncall:
 *   timeoutMs: 1500          # a person's deadline per provider call
 *   freshSeconds: 60         # a cached answer younger than this is served without asking
 *   pagerduty: { webUrl: https://acme.pagerduty.com }
 *   opsgenie: { webUrl: https://acme.app.opsgenie.com }
 *   rotations:
 *     team-platform: { rotation: { members: [chen.li, dana.kim], length: 1w, … } }
 * ```
 */
export const oncallFileSchema = z
  .object({
    timeoutMs: z.number().int().min(100).max(10_000).default(1_500),
    freshSeconds: z.number().int().min(0).max(3_600).default(60),
    pagerduty: z.object({ webUrl: z.url('must be a URL such as https://acme.pagerduty.com').optional() }).strict().optional(),
    opsgenie: z.object({ webUrl: z.url('must be a URL such as https://acme.app.opsgenie.com').optional() }).strict().optional(),
    /** By Group ref or name (`team-platform`, `group:default/team-platform`). */
    rotations: z.record(z.string(), rotationDeclarationSchema).default({}),
  })
  .strict()
  .superRefine((value, ctx) => {
    // The shape is checked above; refs, weekdays against the start date and override times here,
    // so a bad rotation stops start-up with its path instead of failing an incident-time lookup.
    for (const [team, declaration] of Object.entries(value.rotations)) {
      const ref = toEntityRef(team, { kind: 'group' });
      if (!ref) {
        ctx.addIssue({ code: 'custom', path: ['rotations', team], message: `${JSON.stringify(team)} is not a Group ref` });
        continue;
      }
      const parsed = parseRotation(declaration, { team: ref, namespace: 'default', declaredIn: 'config' });
      if (!parsed.ok) for (const message of parsed.problems) ctx.addIssue({ code: 'custom', path: ['rotations', team], message });
    }
  });

export type OncallFileConfig = z.infer<typeof oncallFileSchema>;

/** Everything the on-call wiring needs, assembled by `loadConfig` from the env and the file. */
export interface OncallConfig {
  readonly pagerduty: { readonly token: string; readonly apiUrl: string; readonly webUrl: string | undefined } | undefined;
  readonly opsgenie: { readonly apiKey: string; readonly apiUrl: string; readonly webUrl: string | undefined } | undefined;
  /** Raw declarations by team; checked again (refs, times) when the service is built. */
  readonly rotations: Readonly<Record<string, RotationDeclaration>>;
  readonly timeoutMs: number;
  readonly freshForMs: number;
}

export const DEFAULT_ONCALL_CONFIG: OncallConfig = {
  pagerduty: undefined,
  opsgenie: undefined,
  rotations: {},
  timeoutMs: 1_500,
  freshForMs: 60_000,
};

/** Builds the on-call slice from the parsed env variables and the file's `oncall:` section. */
export function oncallConfig(
  env: { PAGERDUTY_TOKEN?: string | undefined; PAGERDUTY_API_URL?: string | undefined; OPSGENIE_API_KEY?: string | undefined; OPSGENIE_API_URL?: string | undefined },
  file: OncallFileConfig | undefined,
): OncallConfig {
  return {
    pagerduty: env.PAGERDUTY_TOKEN
      ? { token: env.PAGERDUTY_TOKEN, apiUrl: env.PAGERDUTY_API_URL ?? 'https://api.pagerduty.com', webUrl: file?.pagerduty?.webUrl }
      : undefined,
    opsgenie: env.OPSGENIE_API_KEY
      ? { apiKey: env.OPSGENIE_API_KEY, apiUrl: env.OPSGENIE_API_URL ?? 'https://api.opsgenie.com', webUrl: file?.opsgenie?.webUrl }
      : undefined,
    rotations: file?.rotations ?? {},
    timeoutMs: file?.timeoutMs ?? DEFAULT_ONCALL_CONFIG.timeoutMs,
    freshForMs: (file?.freshSeconds ?? 60) * 1000,
  };
}

/** The config's rotations, checked and keyed by canonical Group ref. */
export function configuredRotations(rotations: Readonly<Record<string, RotationDeclaration>>): Map<string, Rotation> {
  const out = new Map<string, Rotation>();
  for (const [team, declaration] of Object.entries(rotations)) {
    const ref = toEntityRef(team, { kind: 'group' });
    if (!ref) throw new InputError(`oncall.rotations: ${JSON.stringify(team)} is not a Group ref`);
    const parsed = parseRotation(declaration, { team: ref, namespace: 'default', declaredIn: 'config' });
    if (!parsed.ok) throw new InputError(`oncall.rotations.${team}: ${parsed.problems.join('; ')}`);
    out.set(ref, parsed.rotation);
  }
  return out;
}
