/**
 * The job queue: each training run is a child process (`node apps/train/dist/cli.js`), at most `jobs`
 * at a time. tfjs-wasm runs single-threaded in Node, so separate processes are how the experiment uses
 * several cores. A run's stdout and stderr go to `<runs>/<id>.log`.
 *
 * Resume: a run whose eval.json exists is done and skipped; a run directory with a checkpoint is
 * continued with the app's own `--resume` (bit-for-bit the same result, the app guarantees it); any
 * other leftover (killed before its first checkpoint) is removed and started again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@diffcontract/env';
import type { RunSpec } from './plan.js';

export type RunState = 'done' | 'resumable' | 'fresh';

/** What to do with a run directory: skip it, continue it, or (re)start it. */
export function runState(runDir: string): RunState {
  if (existsSync(join(runDir, 'eval.json'))) return 'done';
  const checkpoints = join(runDir, 'checkpoints');
  if (existsSync(join(runDir, 'config.json')) && existsSync(checkpoints)) {
    if (readdirSync(checkpoints).some((name) => name.startsWith('step-'))) return 'resumable';
  }
  return 'fresh';
}

/** Arguments of the training CLI for one run, given what is on disk. */
export function trainArgs(cli: string, configPath: string, runDir: string, state: RunState): string[] {
  return state === 'resumable' ? [cli, '--resume', runDir] : [cli, '--config', configPath, '--out', runDir];
}

export interface QueueEvents {
  onStart?(spec: RunSpec, state: RunState): void;
  onFinish?(spec: RunSpec, code: number | null, seconds: number): void;
}

export interface QueueOptions {
  runs: readonly RunSpec[];
  /** folder holding one directory, one config and one log per run */
  runsDir: string;
  /** the training CLI (apps/train/dist/cli.js) */
  cli: string;
  /** node options before the CLI (a loader when running from sources) */
  nodeArgs?: readonly string[];
  jobs: number;
  configOf: (spec: RunSpec) => Record<string, unknown>;
  /** when false, existing run directories are an error instead of being skipped or continued */
  resume: boolean;
  events?: QueueEvents;
  signal?: AbortSignal;
}

export interface QueueResult {
  /** `reason`: why, when it is not the exit code (a run on the Redis queue) */
  failed: { id: string; code: number | null; log: string; reason?: string }[];
  skipped: string[];
  ran: string[];
  stopped: boolean;
}

/**
 * Runs the queue to the end (or until `signal` aborts: running children get SIGINT, which makes the
 * training app write a checkpoint, and nothing new starts). Failures do not stop the other runs.
 */
export async function runQueue(opts: QueueOptions): Promise<QueueResult> {
  mkdirSync(opts.runsDir, { recursive: true });
  const result: QueueResult = { failed: [], skipped: [], ran: [], stopped: false };
  const pending: { spec: RunSpec; state: RunState }[] = [];
  for (const spec of opts.runs) {
    const dir = join(opts.runsDir, spec.id);
    const state = runState(dir);
    if (!opts.resume && existsSync(dir)) {
      throw new Error(
        `--out: run ${spec.id} already exists; continue with --resume or use an empty --out (${dir})`,
      );
    }
    if (state === 'done') result.skipped.push(spec.id);
    else pending.push({ spec, state });
  }
  const children = new Set<ChildProcess>();
  const onAbort = () => {
    result.stopped = true;
    for (const child of children) child.kill('SIGINT');
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const launch = (spec: RunSpec, state: RunState) =>
    new Promise<void>((resolvePromise) => {
      const dir = join(opts.runsDir, spec.id);
      const configPath = join(opts.runsDir, `${spec.id}.config.json`);
      if (state === 'fresh') {
        rmSync(dir, { recursive: true, force: true });
        writeFileAtomic(configPath, `${JSON.stringify(opts.configOf(spec), null, 2)}\n`);
      }
      const logPath = join(opts.runsDir, `${spec.id}.log`);
      const log = createWriteStream(logPath, { flags: state === 'fresh' ? 'w' : 'a' });
      const started = performance.now();
      opts.events?.onStart?.(spec, state);
      const child = spawn(
        process.execPath,
        [...(opts.nodeArgs ?? []), ...trainArgs(opts.cli, configPath, dir, state)],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          // Own process group: a terminal's Ctrl-C reaches the child once, from us (a second SIGINT
          // would make the training app quit without its checkpoint).
          detached: true,
        },
      );
      children.add(child);
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
      child.on('close', (code) => {
        children.delete(child);
        log.end();
        const seconds = (performance.now() - started) / 1000;
        if (code === 0) result.ran.push(spec.id);
        else if (!result.stopped) result.failed.push({ id: spec.id, code, log: logPath });
        opts.events?.onFinish?.(spec, code, seconds);
        resolvePromise();
      });
    });

  let next = 0;
  const worker = async () => {
    while (next < pending.length && !result.stopped) {
      const { spec, state } = pending[next++]!;
      await launch(spec, state);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.jobs, pending.length)) }, worker));
  opts.signal?.removeEventListener('abort', onAbort);
  return result;
}
