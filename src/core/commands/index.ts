export { createAnswerSession, describeError } from './answer-session.js';
export type { AnswerRequest, AnswerSession, AnswerSessionOptions, Asker, ClickRequest, ShareRequest } from './answer-session.js';
export { apology } from './apology.js';
export { defineCommand } from './define-command.js';
export { createRouter, requiredText } from './router.js';
export type { Outcome, Router, RouterOptions } from './router.js';
export { tokenize } from './tokenize.js';
export type { Actor, AnyCommand, Command, CommandContext, CommandServices, CommandSpec, Invocation, Param, Platform } from './types.js';
export { CommandError } from '../errors.js';
