/**
 * A worker against a real Redis (started here) and grids registered by hand as a coordinator
 * registers them: it refuses grids planned by other code without taking their jobs, and a job whose
 * config the training app rejects fails at once with the app's message.
 */
import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { GRID_REGISTRY, gridKeys, type RunJobData, type RunJobProgress } from './grid.js';
import { DESIGNS, planRuns, trainConfigFile } from './plan.js';
import { parseQueueTarget } from './queue-target.js';
import { bullConnection, connectRedis, type RedisTarget } from './redis.js';
import { SOURCE_NODE_ARGS, TRAIN_CLI } from './test-processes.js';
import { redisServerFound, startRedis, type TestRedis } from './test-redis.js';
import { runWorker } from './worker.js';

let redis: TestRedis;
let target: RedisTarget;
let client: Redis;
const queues: Queue[] = [];

const hasRedis = redisServerFound();

beforeAll(async () => {
  if (!hasRedis) return;
  redis = await startRedis();
  target = parseQueueTarget(redis.url) as RedisTarget;
  client = await connectRedis(target);
});

afterAll(async () => {
  await Promise.all(queues.map((q) => q.close()));
  client?.disconnect();
  await redis?.stop();
});

/** A grid of one run, registered and fully enqueued. */
async function grid(name: string, code: string, config: Record<string, unknown>) {
  const queue = new Queue(name, { connection: bullConnection(target) });
  queues.push(queue);
  const data: RunJobData = { id: 'dmsac-s0', config, mode: 'smoke', code };
  await queue.add('run', data, { jobId: data.id, attempts: 3 });
  await client.hset(gridKeys(name).meta, { mode: 'smoke', code, runs: '1', enqueued: '1' });
  await client.zadd(GRID_REGISTRY, Date.now(), name);
  return queue;
}

const worker = (code: string, lines: string[]) =>
  runWorker({
    target,
    cli: TRAIN_CLI,
    nodeArgs: SOURCE_NODE_ARGS,
    code,
    concurrency: 1,
    stay: false,
    lockMs: 2000,
    stalledMs: 1000,
    log: (line) => lines.push(line),
    pollMs: 100,
  });

test.skipIf(!hasRedis)(
  'a worker built from other code refuses the grid, naming both, and takes none of its jobs',
  async () => {
    const queue = await grid('diffcontract-smoke-aaaaaaaaaaaa', 'commit-a', { algo: 'dmsac' });
    const lines: string[] = [];
    expect(await worker('commit-b', lines)).toBe(2);
    const refusal =
      'grid diffcontract-smoke-aaaaaaaaaaaa was planned by code commit-a, this worker is built from commit-b';
    expect(lines.at(-1)).toContain(refusal);
    // the coordinator shows it: the refusal is recorded on the grid
    const meta = await client.hgetall(gridKeys('diffcontract-smoke-aaaaaaaaaaaa').meta);
    expect(meta[`refused:${hostname()}:${process.pid}`]).toContain(refusal);
    // nothing lost: the run still waits for a worker of the right code
    expect(await (await queue.getJob('dmsac-s0'))!.getState()).toBe('waiting');
  },
);

test.skipIf(!hasRedis)(
  "a job whose config fails validation fails at once with the training app's message",
  async () => {
    const queue = await grid('diffcontract-smoke-bbbbbbbbbbbb', 'commit-c', {
      algo: 'dmsac',
      budget: { steps: -3 },
    });
    const lines: string[] = [];
    // the other code's grid of the first test is still there: skipped, and the worker leaves once
    // the grid it served is done
    expect(await worker('commit-c', lines)).toBe(0);
    const job = (await queue.getJob('dmsac-s0'))!;
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/^run dmsac-s0: the training app refused the run: .*budget\.steps.*-3/);
    expect(await client.get(gridKeys('diffcontract-smoke-bbbbbbbbbbbb').log('dmsac-s0'))).toMatch(
      /budget\.steps/,
    );
  },
);

test.skipIf(!hasRedis)(
  'Ctrl-C: the running training checkpoints and its job goes back to waiting, no try used',
  async () => {
    const spec = planRuns(DESIGNS.smoke).find((r) => r.id === 'dmsac-s0')!;
    const queue = await grid(
      'diffcontract-smoke-dddddddddddd',
      'commit-d',
      trainConfigFile(spec, DESIGNS.smoke),
    );
    const controller = new AbortController();
    const lines: string[] = [];
    const watcher = setInterval(async () => {
      const job = await queue.getJob('dmsac-s0');
      const p = job?.progress as RunJobProgress | number | undefined;
      if (typeof p === 'object' && p.step > 0) controller.abort();
    }, 100);
    const code = await runWorker({
      target,
      cli: TRAIN_CLI,
      nodeArgs: SOURCE_NODE_ARGS,
      code: 'commit-d',
      concurrency: 1,
      stay: false,
      lockMs: 2000,
      stalledMs: 1000,
      log: (line) => lines.push(line),
      pollMs: 100,
      signal: controller.signal,
    });
    clearInterval(watcher);
    expect(code).toBe(130);
    const job = (await queue.getJob('dmsac-s0'))!;
    expect(await job.getState()).toBe('waiting');
    expect(job.attemptsMade).toBe(0);
    // the checkpoint to continue from is in Redis
    expect(await client.exists(gridKeys('diffcontract-smoke-dddddddddddd').checkpoint('dmsac-s0'))).toBe(1);
  },
);
