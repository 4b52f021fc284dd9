// A synthetic organisation as Backstage descriptor YAML, for benchmarks of import and lookup at scale.
// Deterministic: the same options give byte-identical files (seeded PRNG, no clock, no Math.random).
//
//   npx tsx bench/generate-org.ts --components 10000 --out /tmp/org [--teams N] [--people N] [--seed N] [--components-per-file N]
//
// Shape for C components (defaults): teams = ceil(C/60), departments = ceil(teams/12), one domain per
// department, people = teams*6, systems = APIs = resources = ceil(C/40). At C = 10,000 that is 11,949
// entities and 5.4 MB (components.yaml 4.9 MB, under the reader's 5 MiB per-file default), the size of a
// large real catalog. C/20 systems, C/10 APIs and resources and 8 people per team would give 14,000
// entities; the totals matter more to the benchmarks than those ratios.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { seededRandom } from '../src/core/seeded-random.js';

export interface GenerateOrgOptions {
  components: number;
  teams?: number;
  people?: number;
  seed?: number;
  /**
   * Components per file: `components/components-0001.yaml`, … instead of one `components.yaml`.
   * Past about 10,000 components one file would pass the reader's 5 MiB limit, and a real catalog
   * at 50,000 is many files anyway (which is what lets a re-import skip the unchanged ones).
   */
  componentsPerFile?: number;
}

export interface GeneratedFile {
  /** Relative to the catalog root, e.g. `components.yaml`. */
  path: string;
  content: string;
}

export interface GeneratedOrg {
  files: GeneratedFile[];
  /** Entities written, per kind (`Component`, `Group`, … and the one `Location`). */
  counts: Record<string, number>;
}

const API_VERSION = 'backstage.io/v1alpha1';
const MAIL_DOMAIN = 'synth.example';
const GITHUB_ORG = 'synth-org';

const WORDS = [
  'amber', 'anchor', 'apex', 'arrow', 'atlas', 'aurora', 'basil', 'beacon', 'birch', 'bolt',
  'bramble', 'breeze', 'canyon', 'cargo', 'cedar', 'cinder', 'cobalt', 'comet', 'copper', 'coral',
  'crane', 'crest', 'delta', 'drift', 'dune', 'ember', 'falcon', 'fern', 'flint', 'forge',
  'frost', 'garnet', 'glacier', 'granite', 'harbor', 'hazel', 'heron', 'horizon', 'indigo', 'iris',
  'jade', 'juniper', 'kestrel', 'lagoon', 'lantern', 'ledger', 'lumen', 'maple', 'marble', 'meadow',
  'meteor', 'mosaic', 'nebula', 'nectar', 'nimbus', 'oak', 'onyx', 'orbit', 'otter', 'pebble',
  'pilot', 'pine', 'prism', 'quartz', 'quill', 'raven', 'reef', 'ridge', 'river', 'saffron',
  'sage', 'signal', 'slate', 'sparrow', 'spruce', 'summit', 'tango', 'tempest', 'thistle', 'tide',
  'timber', 'topaz', 'trail', 'tundra', 'umber', 'valley', 'vertex', 'violet', 'willow', 'zephyr',
] as const;

const NOUNS = [
  'api', 'auth', 'billing', 'cart', 'catalog', 'checkout', 'dispatch', 'events', 'export', 'feed',
  'gateway', 'geo', 'import', 'inventory', 'invoice', 'label', 'ledger', 'login', 'mailer', 'metrics',
  'notify', 'orders', 'payments', 'pricing', 'profile', 'quotes', 'rates', 'refunds', 'reports', 'routing',
  'scanner', 'search', 'session', 'shipping', 'sms', 'sync', 'tax', 'tracking', 'upload', 'wallet',
] as const;

const FIRST_NAMES = [
  'ana', 'ben', 'chloe', 'dev', 'elin', 'farah', 'grace', 'hana', 'ivan', 'jonas',
  'kai', 'lea', 'mateo', 'mei', 'nadia', 'noor', 'omar', 'priya', 'rafael', 'ruth',
  'sam', 'sofia', 'theo', 'tomasz', 'yusuf', 'zara', 'aisha', 'bram', 'dario', 'erik',
] as const;

const LAST_NAMES = [
  'adeyemi', 'bello', 'berg', 'brandt', 'chen', 'conti', 'costa', 'dahl', 'demir', 'fischer',
  'haddad', 'holt', 'lind', 'martin', 'mensah', 'moretti', 'novak', 'okafor', 'osei', 'petrov',
  'qureshi', 'raman', 'ruiz', 'sato', 'silva', 'tanaka', 'varga', 'virtanen', 'weber', 'zielinski',
] as const;

const LANGUAGES = ['go', 'java', 'kotlin', 'typescript', 'python', 'rust', 'scala', 'ruby'] as const;
const TOPICS = ['payments', 'logistics', 'search', 'identity', 'data', 'mobile', 'internal', 'public', 'pci', 'kafka'] as const;
const API_TYPES = ['openapi', 'openapi', 'openapi', 'grpc', 'asyncapi', 'graphql'] as const;
const RESOURCE_TYPES = ['database', 'database', 'kafka-topic', 's3-bucket', 'queue', 'cache'] as const;


function positiveInt(name: string, value: number | undefined, fallback: number, min: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min) throw new RangeError(`generateOrg: ${name} must be an integer >= ${min}, got ${String(value)}`);
  return n;
}

function titleCase(words: string[]): string {
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}

export function generateOrg(options: GenerateOrgOptions): GeneratedOrg {
  const componentCount = positiveInt('components', options.components, 0, 1);
  const teamCount = positiveInt('teams', options.teams, Math.ceil(componentCount / 60), 1);
  const peopleCount = positiveInt('people', options.people, teamCount * 6, 0);
  const seed = positiveInt('seed', options.seed, 1, 0);
  const departmentCount = Math.ceil(teamCount / 12);
  const domainCount = departmentCount;
  const systemCount = Math.ceil(componentCount / 40);
  const apiCount = Math.ceil(componentCount / 40);
  const resourceCount = Math.ceil(componentCount / 40);

  const rng = seededRandom(seed);
  const int = (n: number): number => Math.floor(rng() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  const chance = (p: number): boolean => rng() < p;
  const serviceId = (): string => {
    const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
    let id = 'P';
    for (let i = 0; i < 6; i++) id += chars.charAt(int(chars.length));
    return id;
  };

  const header = `# Generated by bench/generate-org.ts (components: ${componentCount}, seed: ${seed}). Do not edit.\n`;

  // ---- Groups: one organisation, departments under it, teams under the departments -------------
  const rootName = 'synth-org';
  const departments = Array.from({ length: departmentCount }, (_, i) => `dept-${WORDS[i % WORDS.length]}-${i + 1}`);
  const teams = Array.from({ length: teamCount }, (_, i) => `team-${pick(WORDS)}-${i + 1}`);
  const teamDepartment = (t: number): number => Math.floor(t / 12) % departmentCount;
  const domains = Array.from({ length: domainCount }, (_, i) => `domain-${pick(NOUNS)}-${i + 1}`);

  const groups: string[] = [header];
  groups.push(`---
apiVersion: ${API_VERSION}
kind: Group
metadata:
  name: ${rootName}
  description: The whole synthetic organisation.
spec:
  type: organization
  profile:
    displayName: Synthetic Org
    email: everyone@${MAIL_DOMAIN}
  children: [${departments.join(', ')}]
`);
  departments.forEach((dept, d) => {
    const children = teams.filter((_, t) => teamDepartment(t) === d);
    groups.push(`---
apiVersion: ${API_VERSION}
kind: Group
metadata:
  name: ${dept}
  description: Department ${d + 1}.
  annotations:
    steward.dev/slack-channel: "#${dept}"
spec:
  type: department
  profile:
    displayName: ${titleCase(dept.split('-').slice(1))}
    email: ${dept}@${MAIL_DOMAIN}
  parent: ${rootName}
  children: [${children.join(', ')}]
`);
  });
  teams.forEach((team, t) => {
    const teamsChannel = t % 4 === 0 ? `    steward.dev/teams-channel: "${titleCase(team.split('-').slice(1, 2))} / General"\n` : '';
    groups.push(`---
apiVersion: ${API_VERSION}
kind: Group
metadata:
  name: ${team}
  description: Team ${titleCase(team.split('-').slice(1, 2))}, number ${t + 1}.
  annotations:
    steward.dev/slack-channel: "#${team}"
${teamsChannel}spec:
  type: team
  profile:
    displayName: ${titleCase(team.split('-').slice(1))}
    email: ${team}@${MAIL_DOMAIN}
  parent: ${departments[teamDepartment(t)]}
  children: []
`);
  });

  // ---- Users: round-robin over teams so every team has people; some are in two teams ------------
  const users: string[] = [header];
  const seenUserNames = new Map<string, number>();
  for (let u = 0; u < peopleCount; u++) {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const base = `${first}.${last}`;
    const seen = (seenUserNames.get(base) ?? 0) + 1;
    seenUserNames.set(base, seen);
    const name = seen === 1 ? base : `${base}${seen}`;
    const memberOf = [teams[u % teamCount] as string];
    if (teamCount > 1 && chance(0.05)) {
      const other = teams[int(teamCount)] as string;
      if (other !== memberOf[0]) memberOf.push(other);
    }
    const slack = chance(0.3) ? `  annotations:\n    slack.com/user-id: U0${serviceId().slice(1)}${int(10)}\n` : '';
    users.push(`---
apiVersion: ${API_VERSION}
kind: User
metadata:
  name: ${name}
${slack}spec:
  profile:
    displayName: ${titleCase([first, last])}
    email: ${name}@${MAIL_DOMAIN}
  memberOf: [${memberOf.join(', ')}]
`);
  }

  // ---- Domains (one per department) and systems (round-robin over teams) ------------------------
  const domainDocs: string[] = [header];
  domains.forEach((domain, d) => {
    domainDocs.push(`---
apiVersion: ${API_VERSION}
kind: Domain
metadata:
  name: ${domain}
  description: Product area ${titleCase(domain.split('-').slice(1, 2))}.
spec:
  owner: ${departments[d]}
  type: product-area
`);
  });

  const systems: Array<{ name: string; team: number }> = [];
  const systemDocs: string[] = [header];
  for (let s = 0; s < systemCount; s++) {
    const team = s % teamCount;
    const name = `sys-${pick(WORDS)}-${pick(NOUNS)}-${s + 1}`;
    systems.push({ name, team });
    systemDocs.push(`---
apiVersion: ${API_VERSION}
kind: System
metadata:
  name: ${name}
  description: The ${name.split('-').slice(1, 3).join(' ')} system.
spec:
  owner: ${teams[team]}
  domain: ${domains[teamDepartment(team) % domainCount]}
  type: product
`);
  }

  // ---- Resources: each belongs to a system and its team -----------------------------------------
  const resources: string[] = [];
  const resourceDocs: string[] = [header];
  for (let r = 0; r < resourceCount; r++) {
    const system = systems[int(systemCount)] as { name: string; team: number };
    const type = pick(RESOURCE_TYPES);
    const name = `res-${pick(WORDS)}-${type === 'database' ? 'db' : type}-${r + 1}`;
    resources.push(name);
    resourceDocs.push(`---
apiVersion: ${API_VERSION}
kind: Resource
metadata:
  name: ${name}
  description: A ${type} of ${system.name}.
spec:
  type: ${type}
  owner: ${teams[system.team]}
  system: ${system.name}
`);
  }

  // ---- Components, then APIs (each API is provided by one component and consumed by a few) ------
  interface ComponentPlan {
    name: string;
    words: [string, string];
    system: { name: string; team: number };
    owner: number;
    provides: string[];
    consumes: string[];
  }
  const components: ComponentPlan[] = [];
  for (let c = 0; c < componentCount; c++) {
    const system = systems[int(systemCount)] as { name: string; team: number };
    const words: [string, string] = [pick(WORDS), pick(NOUNS)];
    components.push({
      name: `svc-${words[0]}-${words[1]}-${c + 1}`,
      words,
      system,
      // Mostly the system's team; sometimes another team owns a part of someone else's system.
      owner: chance(0.9) ? system.team : int(teamCount),
      provides: [],
      consumes: [],
    });
  }

  const apiDocs: string[] = [header];
  const apis: string[] = [];
  for (let a = 0; a < apiCount; a++) {
    const provider = components[int(componentCount)] as ComponentPlan;
    const type = pick(API_TYPES);
    const name = `api-${provider.words[0]}-${provider.words[1]}-${a + 1}`;
    apis.push(name);
    provider.provides.push(name);
    apiDocs.push(`---
apiVersion: ${API_VERSION}
kind: API
metadata:
  name: ${name}
  description: The ${provider.words[1]} API of ${provider.name}.
  tags: [${type}]
spec:
  type: ${type}
  lifecycle: ${chance(0.9) ? 'production' : 'experimental'}
  owner: ${teams[provider.owner]}
  system: ${provider.system.name}
  definition: "${type} definition of ${name}, v1"
`);
  }
  for (const component of components) {
    if (chance(0.3)) {
      const n = 1 + int(2);
      for (let i = 0; i < n; i++) {
        const api = apis[int(apiCount)] as string;
        if (!component.provides.includes(api) && !component.consumes.includes(api)) component.consumes.push(api);
      }
    }
  }

  const componentDocs: string[] = [header];
  components.forEach((component, c) => {
    const roll = rng();
    const type = roll < 0.8 ? 'service' : roll < 0.9 ? 'website' : 'library';
    const lifecycleRoll = rng();
    const lifecycle = lifecycleRoll < 0.82 ? 'production' : lifecycleRoll < 0.93 ? 'experimental' : 'deprecated';
    const tier = 1 + int(3);
    const tags = [pick(LANGUAGES), pick(TOPICS)];
    if (tags[0] === tags[1]) tags.pop();
    const [w0, w1] = component.words;
    let meta = `---
apiVersion: ${API_VERSION}
kind: Component
metadata:
  name: ${component.name}
`;
    if (chance(0.2)) meta += `  title: ${titleCase([w0, w1])} ${c + 1}\n`;
    meta += `  description: ${titleCase([w0])} ${w1} ${type}.
  labels:
    tier: "${tier}"
  tags: [${tags.join(', ')}]
`;
    let annotations = '';
    if (chance(0.5)) annotations += `    github.com/project-slug: ${GITHUB_ORG}/${component.name}\n`;
    // Exactly every other component is on PagerDuty, so benchmarks can rely on the ratio.
    if (c % 2 === 0) annotations += `    pagerduty.com/service-id: ${serviceId()}\n`;
    if (chance(0.05)) annotations += `    steward.dev/aliases: "${w0}${w1}${c + 1}"\n`;
    if (annotations !== '') meta += `  annotations:\n${annotations}`;
    meta += `  links:
    - url: https://runbooks.${MAIL_DOMAIN}/${component.name}
      title: Runbook
      type: runbook
spec:
  type: ${type}
  lifecycle: ${lifecycle}
  owner: ${teams[component.owner]}
  system: ${component.system.name}
`;
    if (component.provides.length > 0) meta += `  providesApis: [${component.provides.join(', ')}]\n`;
    if (component.consumes.length > 0) meta += `  consumesApis: [${component.consumes.join(', ')}]\n`;
    if (chance(0.3)) meta += `  dependsOn: [resource:${resources[int(resourceCount)]}]\n`;
    componentDocs.push(meta);
  });

  const perFile = options.componentsPerFile === undefined ? undefined : positiveInt('componentsPerFile', options.componentsPerFile, 1, 1);
  const componentFiles: Array<[string, string[]]> = [];
  if (perFile === undefined) componentFiles.push(['components.yaml', componentDocs]);
  else {
    // componentDocs[0] is the header; every file gets one.
    for (let i = 1, n = 1; i < componentDocs.length; i += perFile, n++) {
      componentFiles.push([`components/components-${String(n).padStart(4, '0')}.yaml`, [header, ...componentDocs.slice(i, i + perFile)]]);
    }
  }
  const kindFiles: Array<[string, string[]]> = [
    ['groups.yaml', groups],
    ['users.yaml', users],
    ['domains.yaml', domainDocs],
    ['systems.yaml', systemDocs],
    ['resources.yaml', resourceDocs],
    ['apis.yaml', apiDocs],
    ...componentFiles,
  ];
  const location = `${header}apiVersion: ${API_VERSION}
kind: Location
metadata:
  name: synth-org-catalog
  description: Synthetic catalog with ${componentCount} components (seed ${seed}).
spec:
  targets:
${kindFiles.map(([path]) => `    - ./${path}\n`).join('')}`;

  return {
    files: [{ path: 'all.yaml', content: location }, ...kindFiles.map(([path, docs]) => ({ path, content: docs.join('') }))],
    counts: {
      Location: 1,
      Group: 1 + departmentCount + teamCount,
      User: peopleCount,
      Domain: domainCount,
      System: systemCount,
      Resource: resourceCount,
      API: apiCount,
      Component: componentCount,
    },
  };
}

/** Writes the generated files under `dir` (created if missing). */
export function writeOrg(dir: string, org: GeneratedOrg): void {
  for (const file of org.files) {
    const target = join(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
}

const USAGE = 'usage: npx tsx bench/generate-org.ts --components N --out DIR [--teams N] [--people N] [--seed N] [--components-per-file N]';

function runCli(argv: string[]): number {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? '';
    const value = argv[i + 1];
    if (!['--components', '--out', '--teams', '--people', '--seed', '--components-per-file'].includes(flag) || value === undefined) {
      process.stderr.write(`generate-org: unexpected argument ${JSON.stringify(flag)}\n${USAGE}\n`);
      return 2;
    }
    values.set(flag, value);
  }
  const out = values.get('--out');
  const number = (flag: string): number | undefined => {
    const raw = values.get(flag);
    return raw === undefined ? undefined : Number(raw);
  };
  const components = number('--components');
  if (out === undefined || components === undefined) {
    process.stderr.write(`generate-org: --components and --out are required\n${USAGE}\n`);
    return 2;
  }
  const started = performance.now();
  let org: GeneratedOrg;
  try {
    org = generateOrg({
      components,
      teams: number('--teams'),
      people: number('--people'),
      seed: number('--seed'),
      componentsPerFile: number('--components-per-file'),
    });
  } catch (error) {
    process.stderr.write(`generate-org: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const generatedMs = performance.now() - started;
  writeOrg(out, org);
  const bytes = org.files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0);
  const entities = Object.values(org.counts).reduce((sum, n) => sum + n, 0);
  const perKind = Object.entries(org.counts).map(([kind, n]) => `${kind} ${n}`).join(', ');
  process.stdout.write(
    `wrote ${org.files.length} files to ${out}: ${entities} entities (${perKind}), ` +
      `${(bytes / 1e6).toFixed(2)} MB, generated in ${Math.round(generatedMs)} ms\n`,
  );
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = runCli(process.argv.slice(2));
}
