/**
 * `diffcontract-experiment worker --queue redis://...`: trains the runs of grids planned by
 * coordinators (coordinator.ts) on any machine with the repository built at the same code.
 *
 * A job is one run: the worker trains it with the training app's CLI in a temporary folder, uploads
 * every new checkpoint to Redis while it trains, and on success uploads the run directory (without
 * checkpoints) and the log. A worker that dies (kill -9, power) stops renewing its BullMQ job locks;
 * after `lockMs` a stalled-job check of another worker puts the job back, and whoever takes it next
 * continues from the uploaded checkpoint with the app's `--resume` (bit for bit the same run).
 *
 * The training child gets SIGKILL when the worker dies (Linux `setpriv --pdeathsig`), so a killed
 * worker leaves no orphan training behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '@diffcontract/env';
import { type Job, Queue, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import { unpackDir } from './archive.js';
import {
  codeMismatch,
  GRID_REGISTRY,
  gridKeys,
  jobDataProblem,
  type RunJobData,
  type RunJobProgress,
  type RunJobResult,
} from './grid.js';
import { trainArgs } from './queue.js';
import { bullConnection, connectRedis, type RedisTarget } from './redis.js';
import { newestCheckpoint, packCheckpoint, packOutput, sha256 } from './run-transfer.js';

export interface WorkerOptions {
  target: RedisTarget;
  /** the training CLI (apps/train/dist/cli.js) */
  cli: string;
  /** node options before the CLI (a loader when running from sources) */
  nodeArgs?: readonly string[];
  /** code identity of this checkout (grid.ts codeIdentity) */
  code: string;
  concurrency: number;
  /** keep serving grids after the first one is done */
  stay: boolean;
  /** BullMQ lock duration and stalled-check interval: how soon a dead worker's runs move on */
  lockMs: number;
  stalledMs: number;
  log: (line: string) => void;
  signal?: AbortSignal;
  pollMs?: number;
}

/** Runs whose job stalled more often than this fail instead of being retried (a run that kills its worker). */
const MAX_STALLS = 10;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function spawnTraining(args: string[]): ChildProcess {
  // Own process group (a terminal's Ctrl-C reaches the child once, from us), and killed with us.
  const guard = process.platform === 'linux' && existsSync('/usr/bin/setpriv');
  const [command, argv] = guard
    ? ['/usr/bin/setpriv', ['--pdeathsig', 'SIGKILL', '--', process.execPath, ...args]]
    : [process.execPath, args];
  return spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .at(-1) ?? ''
  );
}

export async function runWorker(opts: WorkerOptions): Promise<number> {
  const client = await connectRedis(opts.target);
  const name = `${hostname()}:${process.pid}`;
  const pollMs = opts.pollMs ?? 1000;
  const children = new Set<ChildProcess>();
  const queues = new Map<string, Queue>();
  const stopped = () => opts.signal?.aborted === true;
  opts.signal?.addEventListener('abort', () => {
    for (const c of children) c.kill('SIGINT');
  });

  const queueOf = (q: string) => {
    let queue = queues.get(q);
    if (!queue) {
      queue = new Queue(q, { connection: bullConnection(opts.target) });
      queues.set(q, queue);
    }
    return queue;
  };
  /** Nothing left to take: every run enqueued, none waiting, delayed or running. */
  const gridDone = async (q: string, meta: Record<string, string>) => {
    if (meta.enqueued !== '1') return false;
    const c = await queueOf(q).getJobCounts('active', 'waiting', 'delayed', 'prioritized');
    return Object.values(c).every((n) => n === 0);
  };

  /** Ctrl-C: the job goes back to waiting (no attempt used) for whoever continues from its checkpoint. */
  const putBack = async (job: Job<RunJobData>, token: string | undefined): Promise<never> => {
    await job.moveToWait(token);
    throw new WaitingError();
  };

  const train = async (job: Job<RunJobData>, token: string | undefined, q: string): Promise<RunJobResult> => {
    if (stopped()) return putBack(job, token);
    const problem = jobDataProblem(job.data);
    if (problem) throw new UnrecoverableError(`run ${job.id}: ${problem}`);
    const data = job.data;
    if (data.code !== opts.code) throw new UnrecoverableError(codeMismatch(q, opts.code, data.code));
    const keys = gridKeys(q);
    const work = mkdtempSync(join(tmpdir(), 'diffcontract-worker-'));
    const runDir = join(work, data.id);
    const configPath = join(work, 'config.json');
    const started = performance.now();
    try {
      let resumedFrom = 0;
      const saved = await client.getBuffer(keys.checkpoint(data.id));
      if (saved) {
        try {
          unpackDir(saved, runDir);
          resumedFrom = newestCheckpoint(runDir)?.step ?? 0;
        } catch (e) {
          opts.log(
            `run ${data.id}: stored checkpoint unusable, training from scratch (${(e as Error).message})`,
          );
        }
      }
      if (resumedFrom === 0) rmSync(runDir, { recursive: true, force: true });
      writeFileAtomic(configPath, `${JSON.stringify(data.config, null, 2)}\n`);
      const budget = (data.config.budget ?? {}) as { steps?: number };
      const steps = typeof budget.steps === 'number' ? budget.steps : 0;
      const report = (step: number) =>
        job.updateProgress({ worker: name, step, steps } satisfies RunJobProgress).catch(() => {});
      await report(resumedFrom);
      opts.log(`run ${data.id}: ${resumedFrom > 0 ? `resuming from step ${resumedFrom}` : 'training'}`);

      const args = trainArgs(opts.cli, configPath, runDir, resumedFrom > 0 ? 'resumable' : 'fresh');
      const child = spawnTraining([...(opts.nodeArgs ?? []), ...args]);
      children.add(child);
      let output = resumedFrom > 0 ? `[${name}] resumed from the checkpoint at step ${resumedFrom}\n` : '';
      child.stdout?.on('data', (d: Buffer) => {
        output += d.toString();
      });
      child.stderr?.on('data', (d: Buffer) => {
        output += d.toString();
      });
      let uploaded = resumedFrom;
      const upload = async () => {
        const cp = newestCheckpoint(runDir);
        if (!cp || cp.step <= uploaded) return;
        try {
          await client.set(keys.checkpoint(data.id), packCheckpoint(runDir, cp.name));
          uploaded = cp.step;
          await report(cp.step);
        } catch {
          // pruned by the app while packing, or Redis away for a moment: the next one will do
        }
      };
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        upload().finally(() => {
          busy = false;
        });
      }, 300);
      const code = await new Promise<number | null>((resolveExit) => child.on('close', resolveExit));
      clearInterval(timer);
      children.delete(child);
      while (busy) await sleep(20);
      // a run that did not finish leaves its newest checkpoint for the next try
      if (code !== 0) await upload();
      await client.set(keys.log(data.id), output);
      if (stopped()) return await putBack(job, token);
      if (code === 2)
        throw new UnrecoverableError(`run ${data.id}: the training app refused the run: ${lastLine(output)}`);
      if (code !== 0) throw new Error(`run ${data.id}: training exited with ${code}: ${lastLine(output)}`);
      const archive = packOutput(runDir);
      await client.set(keys.output(data.id), archive);
      await client.del(keys.checkpoint(data.id));
      const seconds = (performance.now() - started) / 1000;
      opts.log(`run ${data.id}: done in ${seconds.toFixed(1)} s`);
      return { worker: name, seconds, resumedFrom, bytes: archive.length, sha256: sha256(archive) };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  };

  const serve = async (q: string) => {
    opts.log(`worker ${name}: serving grid ${q} (${opts.concurrency} at a time)`);
    const worker = new Worker<RunJobData, RunJobResult>(q, (job, token) => train(job, token, q), {
      connection: bullConnection(opts.target),
      concurrency: opts.concurrency,
      lockDuration: opts.lockMs,
      stalledInterval: opts.stalledMs,
      maxStalledCount: MAX_STALLS,
      name,
    });
    worker.on('failed', (job, err) => opts.log(`run ${job?.id}: failed: ${err.message}`));
    worker.on('error', (err) => opts.log(`worker ${name}: ${err.message}`));
    while (!stopped()) {
      await sleep(pollMs);
      if (await gridDone(q, await client.hgetall(gridKeys(q).meta))) break;
    }
    // After Ctrl-C this waits for the running trainings to checkpoint and their jobs to be put back.
    await worker.close();
  };

  try {
    let served = false;
    let waiting = false;
    while (!stopped()) {
      let refusal: string | null = null;
      let chosen: string | null = null;
      for (const q of await client.zrange(GRID_REGISTRY, 0, -1)) {
        const meta = await client.hgetall(gridKeys(q).meta);
        if (meta.code === undefined || (await gridDone(q, meta))) continue;
        if (meta.code !== opts.code) {
          refusal = codeMismatch(q, opts.code, meta.code);
          await client.hset(gridKeys(q).meta, `refused:${name}`, refusal);
          continue;
        }
        chosen = q;
        break;
      }
      if (chosen) {
        await serve(chosen);
        served = true;
        waiting = false;
        continue;
      }
      if (served && !opts.stay) break;
      if (refusal && !opts.stay) {
        opts.log(`worker ${name}: refused: ${refusal}`);
        return 2;
      }
      if (!waiting) opts.log(`worker ${name}: waiting for a grid on ${opts.target.display}`);
      waiting = true;
      await sleep(pollMs);
    }
    return stopped() ? 130 : 0;
  } finally {
    await Promise.all([...queues.values()].map((q) => q.close()));
    client.disconnect();
  }
}
