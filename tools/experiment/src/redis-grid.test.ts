/**
 * The smoke grid on a real Redis (started here) end to end: a coordinator and two workers as
 * processes, one worker SIGKILLed in the middle of a run and the coordinator SIGKILLed and restarted;
 * every run must equal the local queue's to the last bit.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compareRuns, readRun } from './aggregate.js';
import { gridHash, gridKeys, gridQueueName, type RunJobProgress, type RunJobResult } from './grid.js';
import { DESIGNS, planRuns, trainConfigFile } from './plan.js';
import { runQueue } from './queue.js';
import { parseQueueTarget } from './queue-target.js';
import { bullConnection, connectRedis, type RedisTarget } from './redis.js';
import {
  alive,
  childrenOf,
  experiment,
  type Proc,
  SOURCE_NODE_ARGS,
  TRAIN_CLI,
  waitFor,
} from './test-processes.js';
import { redisServerFound, startRedis, type TestRedis } from './test-redis.js';

/** Wall-clock fields: the only ones that differ between identical runs. */
const CLOCK_KEYS = new Set(['timeMs', 'elapsedSeconds', 'updatesPerSec', 'loopSeconds', 'wallSeconds']);
const withoutClock = (text: string) =>
  JSON.stringify(JSON.parse(text, (key, value) => (CLOCK_KEYS.has(key) ? undefined : value)));

/**
 * A finished run directory without checkpoints: every JSON and JSONL file as text without its
 * wall-clock fields (numbers as written, so equal text is equal bits), every binary as bytes.
 */
function runFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const rel = relative(dir, join(entry.parentPath, entry.name));
    if (rel.startsWith('checkpoints')) continue;
    const data = readFileSync(join(dir, rel));
    if (rel.endsWith('.json')) files[rel] = withoutClock(data.toString());
    else if (rel.endsWith('.jsonl'))
      files[rel] = data.toString().trim().split('\n').map(withoutClock).join('\n');
    else if (rel.endsWith('.bin')) files[rel] = data.toString('base64');
  }
  return files;
}

const design = DESIGNS.smoke;
const runs = planRuns(design);
const configOf = (spec: (typeof runs)[number]) => trainConfigFile(spec, design);
const queueName = gridQueueName(
  'smoke',
  gridHash(
    'smoke',
    runs.map((r) => ({ id: r.id, config: configOf(r) })),
  ),
);
// A killed worker's runs move on within about lock + 2 stalled intervals.
const FAST_STALLS = ['--lock-ms', '2000', '--stalled-ms', '1000'];

let redis: TestRedis;
let target: RedisTarget;
const started: Proc[] = [];

const hasRedis = redisServerFound();

beforeAll(async () => {
  if (!hasRedis) return;
  redis = await startRedis();
  target = parseQueueTarget(redis.url) as RedisTarget;
});

afterAll(async () => {
  for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await redis?.stop();
});

function start(args: string[], cwd: string): Proc {
  const p = experiment(args, cwd);
  started.push(p);
  return p;
}

describe.skipIf(!hasRedis)('the experiment grid on Redis', () => {
  test('an unreachable Redis or a wrong URL: one line and exit 2 within seconds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'experiment-redis-bad-'));
    const t0 = Date.now();
    const coordinator = start(['--mode', 'smoke', '--queue', 'redis://127.0.0.1:1', '--out', dir], dir);
    const worker = start(['worker', '--queue', 'redis://127.0.0.1:1/0'], dir);
    const wrong = start(['worker', '--queue', 'redis://127.0.0.1/0'], dir);
    expect(await coordinator.exited).toBe(2);
    expect(await worker.exited).toBe(2);
    expect(await wrong.exited).toBe(2);
    expect(Date.now() - t0).toBeLessThan(30_000);
    const lines = (p: Proc) => p.output().trim().split('\n');
    expect(lines(coordinator).at(-1)).toMatch(
      /^diffcontract-experiment: --queue: cannot reach Redis at redis:\/\/127\.0\.0\.1:1\/0 \(connect ECONNREFUSED/,
    );
    expect(lines(worker)).toHaveLength(1);
    expect(lines(worker)[0]).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1\/0/);
    expect(lines(wrong)).toHaveLength(1);
    expect(lines(wrong)[0]).toMatch(/--queue: no port/);
    // nothing written for a grid that could not start
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true });
  });

  test('two workers, one killed mid-run, the coordinator killed and restarted: the local queue bit for bit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'experiment-redis-grid-'));
    const local = await runQueue({
      runs,
      runsDir: join(dir, 'local'),
      cli: TRAIN_CLI,
      nodeArgs: SOURCE_NODE_ARGS,
      jobs: 2,
      configOf,
      resume: false,
    });
    expect(local.failed).toEqual([]);

    const out = join(dir, 'redis');
    const coordinatorArgs = ['--mode', 'smoke', '--queue', redis.url, '--out', out];
    const a = start(['worker', '--queue', redis.url, ...FAST_STALLS], dir);
    const b = start(['worker', '--queue', redis.url, ...FAST_STALLS], dir);
    let coordinator = start(coordinatorArgs, dir);
    const client = await connectRedis(target);
    const queue = new Queue(queueName, { connection: bullConnection(target) });
    try {
      // Kill worker a in the middle of a run whose checkpoint is already in Redis.
      const aName = `${hostname()}:${a.pid}`;
      let victim: string | null = null;
      await waitFor(
        'worker a to upload a checkpoint mid-run',
        async () => {
          for (const job of await queue.getActive()) {
            const p = job.progress as RunJobProgress | number;
            if (typeof p !== 'object' || p.worker !== aName || p.step === 0 || p.step >= p.steps) continue;
            if ((await client.exists(gridKeys(queueName).checkpoint(job.id!))) === 1) victim = job.id!;
          }
          return victim !== null;
        },
        120_000,
      );
      const trainings = childrenOf(a.pid);
      expect(trainings.length).toBeGreaterThan(0);
      a.child.kill('SIGKILL');
      // the killed worker's training dies with it
      await waitFor(
        'the killed worker training to stop',
        () => trainings.every((pid) => !alive(pid)),
        10_000,
      );

      // Kill the coordinator once a run has been collected, and start it again with the same arguments.
      await waitFor('a first collected run', () => /^done /m.test(coordinator.output()), 120_000);
      coordinator.child.kill('SIGKILL');
      await coordinator.exited;
      coordinator = start(coordinatorArgs, dir);
      expect(await coordinator.exited, coordinator.output()).toBe(0);
      expect(await b.exited, b.output()).toBe(0);

      // The killed run went on from its checkpoint on worker b.
      const resumed = (await queue.getJob(victim!))!.returnvalue as RunJobResult;
      expect(resumed.worker).toBe(`${hostname()}:${b.pid}`);
      expect(resumed.resumedFrom).toBeGreaterThan(0);

      // Every run equals the local queue's: figures, curves, and the files to the byte.
      const comparison = compareRuns(
        runs.map((s) => readRun(join(out, 'runs'), s)),
        runs.map((s) => readRun(join(dir, 'local'), s)),
      );
      expect(comparison).toEqual({
        compared: runs.length,
        identical: runs.length,
        maxAbsDifference: 0,
        differing: [],
      });
      for (const s of runs) {
        const redisFiles = runFiles(join(out, 'runs', s.id));
        expect(Object.keys(redisFiles).length).toBeGreaterThan(10);
        expect(Object.keys(redisFiles).some((f) => f.startsWith('checkpoints'))).toBe(false);
        expect(redisFiles).toEqual(runFiles(join(dir, 'local', s.id)));
      }
      expect(existsSync(join(out, 'results.json'))).toBe(true);

      // A third start trains nothing: every run is skipped, no job runs again.
      const evalTimes = runs.map((s) => statSync(join(out, 'runs', s.id, 'eval.json')).mtimeMs);
      const again = start(coordinatorArgs, dir);
      expect(await again.exited, again.output()).toBe(0);
      expect(again.output()).toContain(`skipped (already done): ${runs.map((r) => r.id).join(' ')}`);
      expect(runs.map((s) => statSync(join(out, 'runs', s.id, 'eval.json')).mtimeMs)).toEqual(evalTimes);
      expect(await queue.getJobCounts('waiting', 'active', 'delayed', 'failed')).toEqual({
        waiting: 0,
        active: 0,
        delayed: 0,
        failed: 0,
      });
    } finally {
      await queue.close();
      client.disconnect();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 400_000);
});
