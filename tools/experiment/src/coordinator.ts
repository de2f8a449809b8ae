/**
 * The grid on a BullMQ queue (`--queue redis://...`): enqueues the runs that are not done yet, one
 * job per run (job id = run id, so enqueuing twice is a no-op), shows progress, and collects each
 * finished run's directory from Redis into the runs folder, where the analysis reads it exactly as
 * it reads runs of the local queue.
 *
 * The queue is named from the grid's hash (grid.ts), so coordinators of different grids on one Redis
 * never share jobs, and a coordinator restarted with the same arguments finds its grid where it is:
 * runs already in the runs folder are skipped, finished jobs are collected, running ones waited for,
 * failed ones retried. Ctrl-C stops only the coordinator; the workers go on.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@diffcontract/env';
import { Queue } from 'bullmq';
import { unpackDir } from './archive.js';
import {
  GRID_REGISTRY,
  type GridRun,
  gridHash,
  gridKeys,
  gridQueueName,
  type RunJobData,
  type RunJobProgress,
  type RunJobResult,
} from './grid.js';
import { createGridProgress } from './grid-progress.js';
import type { Mode, RunSpec } from './plan.js';
import type { QueueResult } from './queue.js';
import { runState } from './queue.js';
import { InputError } from './queue-target.js';
import { bullConnection, connectRedis, type RedisTarget } from './redis.js';
import { sha256 } from './run-transfer.js';

export interface GridOptions {
  target: RedisTarget;
  mode: Mode;
  runs: readonly RunSpec[];
  runsDir: string;
  configOf: (spec: RunSpec) => Record<string, unknown>;
  /** code identity of this checkout; workers must match it */
  code: string;
  /** accept existing runs in a runs folder that does not record this grid */
  resume: boolean;
  /** tries of a run before it counts as failed (a kill -9 of its worker is not a try) */
  attempts?: number;
  progress: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  signal?: AbortSignal;
  pollMs?: number;
}

export interface GridResult extends QueueResult {
  queue: string;
}

/** The record in the runs folder of which grid its runs belong to. */
interface GridFile {
  queue: string;
  mode: Mode;
  redis: string;
}

function checkRunsFolder(opts: GridOptions, queue: string): void {
  const file = join(opts.runsDir, 'grid.json');
  if (existsSync(file)) {
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as GridFile;
    if (recorded.queue !== queue)
      throw new InputError(
        `--out: its runs belong to grid ${recorded.queue}, not to this grid ${queue} (another mode or design); use another --out (${opts.runsDir})`,
      );
    return;
  }
  const existing = opts.runs.find((r) => existsSync(join(opts.runsDir, r.id)));
  if (existing && !opts.resume)
    throw new InputError(
      `--out: run ${existing.id} already exists; continue with --resume or use an empty --out (${join(opts.runsDir, existing.id)})`,
    );
}

export async function runGrid(opts: GridOptions): Promise<GridResult> {
  const gridRuns: GridRun[] = opts.runs.map((spec) => ({ id: spec.id, config: opts.configOf(spec) }));
  const queueName = gridQueueName(opts.mode, gridHash(opts.mode, gridRuns));
  mkdirSync(opts.runsDir, { recursive: true });
  checkRunsFolder(opts, queueName);
  const client = await connectRedis(opts.target);
  const keys = gridKeys(queueName);
  const queue = new Queue(queueName, { connection: bullConnection(opts.target) });
  const progress = createGridProgress(opts.progress);
  try {
    const recordedCode = await client.hget(keys.meta, 'code');
    if (recordedCode !== null && recordedCode !== opts.code)
      throw new InputError(
        `--queue: grid ${queueName} on ${opts.target.display} was started by code ${recordedCode}, this coordinator is built from ${opts.code}; finish it from that code or remove the grid from Redis`,
      );
    writeFileAtomic(
      join(opts.runsDir, 'grid.json'),
      `${JSON.stringify({ queue: queueName, mode: opts.mode, redis: opts.target.display } satisfies GridFile, null, 2)}\n`,
    );
    await client.hset(keys.meta, { mode: opts.mode, code: opts.code, runs: String(gridRuns.length) });
    await client.hsetnx(keys.meta, 'created', new Date().toISOString());
    await client.zadd(GRID_REGISTRY, 'NX', Date.now(), queueName);

    const result: GridResult = { queue: queueName, failed: [], skipped: [], ran: [], stopped: false };
    const pending = new Map<string, RunSpec>();
    for (const [i, spec] of opts.runs.entries()) {
      if (runState(join(opts.runsDir, spec.id)) === 'done') {
        result.skipped.push(spec.id);
        continue;
      }
      pending.set(spec.id, spec);
      // The config as the local queue writes it (the analysis takes the run's start from it).
      const configPath = join(opts.runsDir, `${spec.id}.config.json`);
      if (!existsSync(configPath))
        writeFileAtomic(configPath, `${JSON.stringify(gridRuns[i]!.config, null, 2)}\n`);
      let job = await queue.getJob(spec.id);
      if (job) {
        const state = await job.getState();
        if (state === 'failed') await job.retry('failed', { resetAttemptsMade: true });
        else if (state === 'completed' && (await client.exists(keys.output(spec.id))) === 0) {
          await job.remove();
          job = undefined;
        }
      }
      if (!job) {
        const data: RunJobData = {
          id: spec.id,
          config: gridRuns[i]!.config,
          mode: opts.mode,
          code: opts.code,
        };
        await queue.add('run', data, {
          jobId: spec.id,
          attempts: opts.attempts ?? 3,
          removeOnComplete: false,
          removeOnFail: false,
        });
      }
    }
    await client.hset(keys.meta, 'enqueued', '1');
    progress.note(
      `grid ${queueName} on ${opts.target.display}: ${pending.size} of ${opts.runs.length} runs to train; start workers with: diffcontract-experiment worker --queue redis://HOST:PORT/${opts.target.db}`,
    );

    const seenRefusals = new Set<string>();
    const aborted = () => opts.signal?.aborted === true;
    while (pending.size > 0 && !aborted()) {
      const running: { id: string; progress: RunJobProgress | null }[] = [];
      for (const [id, spec] of pending) {
        const job = await queue.getJob(id);
        const state = job ? await job.getState() : 'unknown';
        if (job && state === 'completed') {
          const log = await client.get(keys.log(id));
          if (log) writeFileAtomic(join(opts.runsDir, `${id}.log`), log);
          const archive = await client.getBuffer(keys.output(id));
          // The job was read before getState: when it completed in between, that copy has no return
          // value yet (seen in a full grid: a finished run counted as corrupt), so read it again.
          const ret = (await queue.getJob(id))?.returnvalue as RunJobResult | undefined;
          if (!archive || sha256(archive) !== ret?.sha256) {
            const reason = `its outputs in Redis are ${archive ? 'corrupt' : 'missing'}; run the coordinator again to collect or retrain it`;
            result.failed.push({ id, code: null, log: join(opts.runsDir, `${id}.log`), reason });
            progress.note(`FAILED ${id}: ${reason}`);
          } else {
            unpackDir(archive, join(opts.runsDir, id));
            result.ran.push(id);
            const resumed = ret.resumedFrom > 0 ? `, resumed from step ${ret.resumedFrom}` : '';
            progress.note(`done ${id} on ${ret.worker} (${ret.seconds.toFixed(1)} s${resumed})`);
          }
          pending.delete(id);
        } else if (job && state === 'failed') {
          const log = await client.get(keys.log(id));
          const logPath = join(opts.runsDir, `${id}.log`);
          if (log) writeFileAtomic(logPath, log);
          result.failed.push({ id, code: null, log: logPath, reason: job.failedReason });
          progress.note(`FAILED ${spec.id}: ${job.failedReason}`);
          pending.delete(id);
        } else if (job && state === 'active') {
          running.push({
            id,
            progress: typeof job.progress === 'object' ? (job.progress as RunJobProgress) : null,
          });
        }
      }
      for (const [field, message] of Object.entries(await client.hgetall(keys.meta))) {
        if (field.startsWith('refused:') && !seenRefusals.has(field)) {
          seenRefusals.add(field);
          progress.note(`worker ${field.slice('refused:'.length)} refused the grid: ${message}`);
        }
      }
      const done = opts.runs.length - pending.size - result.failed.length;
      progress.update({ total: opts.runs.length, done, failed: result.failed.length, running });
      if (pending.size > 0) await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
    }
    result.stopped = pending.size > 0;
    return result;
  } finally {
    progress.stop();
    await queue.close();
    client.disconnect();
  }
}
