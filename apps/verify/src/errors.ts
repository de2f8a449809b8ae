import { escapeControlCharacters, InputError } from '@diffcontract/env';
import { CommanderError } from 'commander';
import { EXIT, type ExitCode } from './exit-codes.js';

/** A bad command line (an option value out of range, conflicting options): exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Reported {
  code: ExitCode;
  /** what to print on stderr (one line unless debugging); empty when already printed */
  message: string;
}

/** Maps whatever a command threw to an exit code and a message. */
export function report(error: unknown, debug: boolean): Reported {
  if (error instanceof CommanderError) {
    // commander has printed its own message (or the help / version) already
    return { code: error.exitCode === 0 ? EXIT.ok : EXIT.invalidInput, message: '' };
  }
  const stack = debug && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  if (error instanceof InputError || error instanceof UsageError) {
    return { code: EXIT.invalidInput, message: `error: ${escapeControlCharacters(error.message)}${stack}` };
  }
  const text = error instanceof Error ? error.message : String(error);
  const hint = debug ? stack : ' (set DIFFCONTRACT_DEBUG=1 for a stack trace)';
  return { code: EXIT.internal, message: `internal error: ${text.split('\n')[0]}${hint}` };
}
