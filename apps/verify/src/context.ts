import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import {
  FileInputError,
  type ModelFile,
  type ReadOptions,
  readModelFile,
  writeFileAtomic,
} from '@diffcontract/env';
import type { ExitCode } from './exit-codes.js';

/** Where text goes: process.stdout/stderr, or a collector in tests. */
export interface TextSink {
  write(text: string): unknown;
  /** true on a terminal (progress bars only draw there) */
  isTTY?: boolean;
}

export interface CliIO {
  stdout: TextSink;
  stderr: TextSink;
  /** directory that relative paths are resolved against; default process.cwd() */
  cwd?: string;
  /** environment variables; default process.env */
  env?: Record<string, string | undefined>;
}

/** What a command gets to do its work; see commands/index.ts for how commands are registered. */
export class CliContext {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  /** the exit code of the command that ran; commands set it by returning it from their action */
  exitCode: ExitCode | undefined;

  constructor(io: CliIO) {
    this.stdout = io.stdout;
    this.stderr = io.stderr;
    this.cwd = io.cwd ?? process.cwd();
    this.env = io.env ?? process.env;
  }

  /** DIFFCONTRACT_DEBUG=1 shows stack traces */
  get debug(): boolean {
    return this.env.DIFFCONTRACT_DEBUG === '1';
  }

  resolvePath(path: string): string {
    return isAbsolute(path) ? path : resolve(this.cwd, path);
  }

  /**
   * Wraps a command's work for commander's `.action(...)`: the exit code it returns becomes the
   * process's; anything it throws is reported by main (InputError -> 2, other errors -> 4).
   */
  action<A extends unknown[]>(
    run: (...args: A) => Promise<ExitCode> | ExitCode,
  ): (...args: A) => Promise<void> {
    return async (...args: A) => {
      this.exitCode = await run(...args);
    };
  }

  /** Reads and fully validates a market or contract file; errors name the path as the user typed it. */
  readModel(path: string, options: Omit<ReadOptions, 'displayName'> = {}): ModelFile {
    return readModelFile(this.resolvePath(path), { ...options, displayName: path });
  }

  /** Prints text, or writes it atomically to `out` when given. */
  emit(text: string, out?: string): void {
    if (out === undefined) {
      this.stdout.write(text);
      return;
    }
    try {
      writeFileAtomic(this.resolvePath(out), text);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new FileInputError(out, `cannot write (${reason})`);
    }
    this.stderr.write(`wrote ${out}\n`);
  }
}

/** The CLI's version, from its package.json (one level above both src/ and dist/). */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
