import { existsSync } from 'node:fs';
import { renderText } from '../adapters/shell/render-text.js';
import { runShell } from '../adapters/shell/run-shell.js';
import { InputError } from '../core/errors.js';
import { seedDemoFacts } from '../demo/seed-facts.js';
import { importCatalog } from '../import-catalog.js';
import { packagePath } from '../package-root.js';
import type { CliCommand, Io } from './cli-kit.js';
import { EXIT, actorFor, configFrom, openSteward, parseCli } from './cli-kit.js';

/** `shell`, `ask` and `demo`: the chat grammar on a terminal, through the same router as chat. */

const DEMO_CATALOG = packagePath('src', 'demo', 'catalog', 'all.yaml');
const DEMO_DB = './data/demo.db';
const DEMO_PERSON = 'ana.ruiz@larkspan.example';

async function shell(args: string[], io: Io, options: { banner?: string; dbDefault?: string } = {}): Promise<number> {
  const { values } = parseCli(args, { as: { type: 'string' } });
  const steward = openSteward(configFrom(io, values, options.dbDefault));
  try {
    const actor = actorFor(values.as);
    const person = actor.email ? steward.catalog.personByEmail(actor.email) : undefined;
    await runShell({
      router: steward.router,
      actor: { ...actor, person, name: person?.name ?? actor.name },
      clock: steward.clock,
      input: io.stdin,
      output: io.stdout,
      interactive: Boolean(io.stdin.isTTY && io.stdout.isTTY),
      ...(options.banner ? { banner: options.banner } : {}),
    });
  } finally {
    steward.close();
  }
  return EXIT.ok;
}

export const shellCommand: CliCommand = {
  name: 'shell',
  usage: 'shell [--as EMAIL]',
  summary: 'interactive: type chat commands, e.g. who-owns payments-api',
  run: (args, io) => shell(args, io),
};

export const demoCommand: CliCommand = {
  name: 'demo',
  usage: 'demo [--as EMAIL]',
  summary: 'the shell on the bundled demo catalog (./data/demo.db)',
  async run(args, io) {
    const { values } = parseCli(args, { as: { type: 'string' } });
    const config = configFrom(io, values, DEMO_DB);
    const steward = openSteward(config);
    let counts: string;
    try {
      const report = importCatalog(steward.catalog, [DEMO_CATALOG], { prune: true });
      if (report.errors.length > 0) throw new Error(`the demo catalog has problems: ${report.errors[0]!.message}`);
      seedDemoFacts(steward, steward.clock.now());
      const c = steward.catalog.counts();
      counts = `${c['component'] ?? 0} components, ${c['group'] ?? 0} groups, ${c['user'] ?? 0} people`;
    } finally {
      steward.close();
    }
    const as = values.as ?? DEMO_PERSON;
    const banner = [
      `Steward demo: a fictional company's catalog (${counts}) in ${config.db}.`,
      `You are ${as}. Try: who-owns payments-api · who-owns paymnets-api · oncall depot-service · health payments-api · leaderboard · team payments · mine · help`,
      'Type exit or press Ctrl-D to leave.',
      '',
    ].join('\n');
    const passOn = [...(values.db ? ['--db', values.db] : []), ...(values.config ? ['--config', values.config] : [])];
    return shell(['--as', as, ...passOn], io, { banner, dbDefault: DEMO_DB });
  },
};

export const askCommand: CliCommand = {
  name: 'ask',
  usage: 'ask "<text>" [--as EMAIL] [--json]',
  summary: 'one chat command; the answer on stdout',
  async run(args, io) {
    const { values, positionals } = parseCli(args, { as: { type: 'string' }, json: { type: 'boolean' } }, true);
    if (positionals.length === 0) throw new InputError('ask needs the command text, e.g. steward ask "who-owns payments-api"');
    const config = configFrom(io, values);
    if (config.db !== ':memory:' && !existsSync(config.db)) {
      throw new InputError(`database ${config.db} does not exist yet; run steward import <catalog> first (or pass --db)`);
    }
    const steward = openSteward(config);
    try {
      const actor = actorFor(values.as);
      const person = actor.email ? steward.catalog.personByEmail(actor.email) : undefined;
      const outcome = await steward.router.dispatch({
        platform: 'shell',
        actor: { ...actor, person },
        text: positionals.join(' '),
        receivedAt: steward.clock.now(),
      });
      io.out(values.json ? `${JSON.stringify(outcome.reply, null, 2)}\n` : `${renderText(outcome.reply)}\n`);
      if (outcome.outcome === 'ok') return EXIT.ok;
      if (outcome.outcome === 'usage' || outcome.outcome === 'unknown_command') return EXIT.usage;
      return EXIT.negative;
    } finally {
      steward.close();
    }
  },
};
