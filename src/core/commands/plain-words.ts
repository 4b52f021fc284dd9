import type { Reply } from '../message/index.js';
import { code, context, list, reply, text } from '../message/index.js';
import { nearest } from '../nearest.js';
import type { Outcome, Router } from './router.js';
import { tokenize } from './tokenize.js';

/**
 * The questions people type when they @-mention the bot in a thread or write to it directly,
 * mapped to the commands that answer them: "who owns ledger-api?" is `who-owns ledger-api`. A
 * small fixed grammar, no model and no network, so what it understands is exactly what the
 * table below (and its tests) says. A line that already is a command stays that command; anything
 * else is `help` with examples, never silence.
 */
export type PlainWords =
  | { readonly kind: 'command'; readonly text: string }
  | { readonly kind: 'help' };

type Phrase = readonly [RegExp, (subject: string) => string];

/** Quoted so a name with spaces stays one argument where the command has a second parameter. */
const quoted = (s: string): string => (/\s/.test(s) ? `"${s}"` : s);
/** "the payments team" names the team `payments`. */
const team = (s: string): string => s.replace(/\s+(?:team|squad|group)$/, '');
/** "the checkout service" names the service `checkout`. */
const service = (s: string): string => s.replace(/\s+service$/, '');

/** First match wins; `(.+)` is the subject, already stripped of "the" and punctuation. */
const PHRASES: readonly Phrase[] = [
  [/^(?:what do i own|what is mine|what am i on the hook for|my services|mine)$/, () => 'mine'],
  [/^(?:who is |who are )?(?:on ?-?call|oncall|on duty)(?: now| right now| today)?(?: for| on| at)? (.+?)(?: now| right now| today)?$/, (s) => `oncall ${team(s)}`],
  [/^who (?:should|do|can) i (?:page|call|ping)(?: for| about)? (.+)$/, (s) => `oncall ${team(s)}`],
  [/^(?:who owns|who is (?:the )?owner of|who are (?:the )?owners of|who is responsible for|who maintains|whose is|owner of|owners of) (.+)$/, (s) => `who-owns ${service(s)}`],
  [/^(?:what does|what do) (.+?) own$/, (s) => `team ${team(s)}`],
  [/^(?:what is owned by|what belongs to) (.+)$/, (s) => `team ${team(s)}`],
  [/^(?:is|are) (.+?) (?:healthy|ok|okay|fine|in good shape|passing|ready)$/, (s) => `health ${quoted(service(s))}`],
  [/^(?:how healthy is|how is|how are) (.+?)(?: doing)?$/, (s) => `health ${quoted(service(s))}`],
  [/^(?:what is the health of|health of|health for) (.+)$/, (s) => `health ${quoted(service(s))}`],
  [/^(?:find|search for|search|look for|look up) (.+)$/, (s) => `search ${s}`],
  [/^(?:what is|tell me about|about|info on|info about|details of|describe) (.+)$/, (s) => `info ${service(s)}`],
];

/** Words around a question that carry no meaning for it. */
const LEADING = /^(?:(?:hey|hi|hello|ok|okay|so|please|pls|quick question|can you tell me|could you tell me|do you know|i wonder)\b[\s,:]*)+/;
const TRAILING = /(?:[\s,]+(?:please|pls|thanks|thank you|thx))+$/;

/** Slack mentions (`<@U123>`, `<@U123|name>`) at the start of a line, with what separates them. */
const LEADING_MENTIONS = /^(?:\s*<@[A-Z0-9]+(?:\|[^<>]*)?>[\s,:]*)+/;

/** Reads one chat line; `isCommand` says whether a word is a command name or alias. */
export function readPlainWords(line: string, isCommand: (word: string) => boolean): PlainWords {
  const bare = line.replace(LEADING_MENTIONS, '').trim();
  const tokens = tokenize(bare);
  const first = tokens[0]?.toLowerCase();
  if (first === undefined) return { kind: 'help' };
  // `/service who-owns x` and `who-owns x` are commands as they are.
  if (isCommand(first)) return { kind: 'command', text: bare.replace(/^\/\S+\s*/, '') };

  const sentence = normalise(bare);
  for (const [pattern, command] of PHRASES) {
    const m = pattern.exec(sentence);
    if (!m) continue;
    const subject = (m.slice(1).find((g) => g !== undefined) ?? '').replace(/^(?:the|our|my)\s+/, '').trim();
    if (subject === '' && m.length > 1) continue;
    return { kind: 'command', text: command(subject) };
  }
  return { kind: 'help' };
}

function normalise(line: string): string {
  return line
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/["\u201c\u201d«»]/g, '')
    .replace(/\b(who|what|where|how|it|that)'s\b/g, '$1 is')
    .replace(/\bwhos\b/g, 'who is')
    .replace(/\bwhats\b/g, 'what is')
    .replace(/[?!.;]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(LEADING, '')
    .replace(TRAILING, '')
    .replace(/,/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The short help for a line that is neither a command nor a question Steward knows. */
export function plainWordsHelp(didYouMean?: string): Reply {
  const examples = ['who owns payments-api?', "who's on call for payments?", 'is checkout healthy?', 'what does billing own?'];
  return reply(
    `I answer questions like "${examples[0]}" and "${examples[1]}", or a command; "help" lists them all.`,
    [
      text(didYouMean ? ['I did not understand that. Did you mean ', code(didYouMean), '?'] : 'I did not understand that. Ask me things like:'),
      list(examples.map((e) => [e])),
      context(['Or type a command: ', code('help'), ' lists them all, ', code('help who-owns'), ' shows one.']),
    ],
  );
}

/**
 * A router that reads plain words first: for mentions and direct messages, where people write
 * sentences rather than commands. Slash commands keep the strict router.
 */
export function withPlainWords(router: Pick<Router, 'dispatch' | 'commands'>): Pick<Router, 'dispatch'> {
  const names = new Set(router.commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]));
  return {
    async dispatch(invocation): Promise<Outcome> {
      const read = readPlainWords(invocation.text, (word) => names.has(word));
      if (read.kind === 'command') return router.dispatch({ ...invocation, text: read.text });
      const first = tokenize(invocation.text.replace(LEADING_MENTIONS, ''))[0]?.toLowerCase() ?? '';
      // A typo of a command ("who-own x") deserves the command's name, not a list of questions.
      const near = first.length >= 4 ? nearest(first, names, 1)[0] : undefined;
      return { command: undefined, outcome: 'usage', reply: plainWordsHelp(near) };
    },
  };
}
