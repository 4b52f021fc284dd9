import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Actor, Invocation, Router } from '../../core/commands/index.js';
import { withPlainWords } from '../../core/commands/index.js';
import type { Clock } from '../../core/ports.js';
import { renderText } from './render-text.js';

export interface ShellOptions {
  readonly router: Router;
  readonly actor: Actor;
  readonly clock: Clock;
  readonly input: Readable;
  readonly output: Writable;
  /** Show a prompt and bold headings: on for a terminal, off when piped. */
  readonly interactive: boolean;
  readonly banner?: string;
}

/**
 * The local shell: a line is a chat command, with or without the leading `/service`, or a
 * question in plain words as in a Slack thread ("who owns payments-api?"). The same router answers
 * as in Slack and Teams; only the renderer differs.
 */
export async function runShell(options: ShellOptions): Promise<void> {
  const { output, interactive } = options;
  const router = withPlainWords(options.router);
  const rl = createInterface({ input: options.input, output: interactive ? output : undefined, terminal: interactive });
  if (options.banner) output.write(`${options.banner}\n`);
  const prompt = (): void => {
    if (interactive) rl.setPrompt('steward> '), rl.prompt();
  };
  prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === '') {
      prompt();
      continue;
    }
    if (['exit', 'quit', '\\q', ':q'].includes(line.toLowerCase())) break;
    const invocation: Invocation = {
      platform: 'shell',
      actor: options.actor,
      text: line,
      receivedAt: options.clock.now(),
    };
    const { reply } = await router.dispatch(invocation);
    output.write(`${renderText(reply, { color: interactive })}\n\n`);
    prompt();
  }
  rl.close();
}
