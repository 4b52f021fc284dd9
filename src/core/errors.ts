/**
 * Two kinds of failure (house rule 4). A `CommandError` is an expected problem the caller can act
 * on: its message is shown in chat. Everything else is a `BotError` (or any other Error): logged
 * with a reference id, never shown.
 */
export class BotError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BotError';
    this.code = code;
  }
}

export class CommandError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = 'CommandError';
    this.code = code;
    this.hint = options?.hint;
  }
}

/** Bad input from a file, an argument or the config: the CLI exits 2 with this message. */
export class InputError extends BotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('bad_input', message, options);
    this.name = 'InputError';
  }
}
