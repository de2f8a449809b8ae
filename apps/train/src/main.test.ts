import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModelFile } from '@diffcontract/env';
import { beforeAll, describe, expect, it } from 'vitest';
import { listCheckpoints } from './checkpoint.js';
import { main } from './main.js';
import { type MetricsLine, RUN_FILES, readMetrics, TIMING_FIELDS } from './rundir.js';

const root = mkdtempSync(join(tmpdir(), 'train-main-'));
const examples = join(import.meta.dirname, '..', '..', '..', 'examples');

function makeIo() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      cwd: root,
    },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

async function run(argv: string[], options = {}) {
  const t = makeIo();
  const code = await main(argv, t.io, options);
  return { code, out: t.out(), err: t.err() };
}

/** A run small enough for a unit test: tiny networks, a few steps, 3 evaluation markets. */
const TINY = {
  backend: 'wasm',
  actor: { hidden: [16, 16], denoisingSteps: 3 },
  sac: { criticHidden: [16, 16], batchSize: 16, bufferCapacity: 40 },
  budget: { steps: 14, marketsPerStep: 4, warmupSteps: 2, updatesPerStep: 2 },
  logging: { logEvery: 3, checkpointEvery: 5, probeSize: 4 },
  evaluation: { markets: 3, certifyTimeoutMs: 20_000 },
};

function configFile(name: string, content: unknown): string {
  const path = join(root, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const withoutTiming = (lines: MetricsLine[]) =>
  lines.map((l) => {
    const copy: Record<string, unknown> = { ...l };
    for (const f of TIMING_FIELDS) delete copy[f];
    return copy;
  });

function evalFile(dir: string) {
  const e = JSON.parse(readFileSync(join(dir, RUN_FILES.eval), 'utf8'));
  // certificate times are wall-clock figures
  for (const m of e.perMarket) if (m.certificate) delete m.certificate.timeMs;
  return e;
}

describe('bad input exits 2 with one line naming the key and the value', () => {
  it.each([
    [{ sac: { batchSize: 0 } }, 'sac.batchSize: must be >= 1 (0)'],
    [{ sac: { actorLr: -0.0001 } }, 'sac.actorLr: must be > 0 (-0.0001)'],
    [{ sac: { criticLr: 'fast' } }, 'sac.criticLr: must be a number ("fast")'],
    [{ actor: { lr: 0.001 } }, 'actor.lr: renamed to sac.actorLr (0.001)'],
    [{ sac: { gamma: 0.99 } }, 'sac.gamma: unknown field (0.99)'],
    [
      { environment: { action: 'prices' } },
      'environment.action: must be one of "allocation", "contract" ("prices")',
    ],
    [{ sac: { exactGradient: 1.5 } }, 'sac.exactGradient: must be <= 1 (1.5)'],
    [{ sac: { exactGradient: -0.5 } }, 'sac.exactGradient: must be >= 0 (-0.5)'],
    [{ evaluation: { candidates: 0 } }, 'evaluation.candidates: must be >= 1 (0)'],
    [{ evaluation: { candidates: 2.5 } }, 'evaluation.candidates: must be an integer (2.5)'],
    [
      { environment: { action: 'contract' }, sac: { exactGradient: 0.5 } },
      'sac.exactGradient: only the allocation formulation has an exact action-gradient (set 0) (0.5)',
    ],
    [
      { environment: { penalty: 0 } },
      'environment.penalty: the allocation formulation prices slack at lambda > 0 (0)',
    ],
  ])('config %j', async (content, message) => {
    const file = configFile(`bad-${Math.random().toString(36).slice(2)}.json`, content);
    const r = await run(['--config', file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`diffcontract-train: ${file}: ${message}\n`);
  });

  it('flags', async () => {
    const seed = await run(['--seed', 'abc']);
    expect(seed.code).toBe(2);
    expect(seed.err).toBe('diffcontract-train: --seed: must be an integer >= 0 ("abc")\n');
    const algo = await run(['--algo', 'ppo']);
    expect(algo.code).toBe(2);
    expect(algo.err).toMatch(/--algo.*ppo/);
    expect(algo.err.trim().split('\n')).toHaveLength(1);
  });

  it('a missing --resume directory', async () => {
    const r = await run(['--resume', 'runs/nope']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('diffcontract-train: --resume: no such run directory (runs/nope)\n');
    mkdirSync(join(root, 'empty'), { recursive: true });
    const empty = await run(['--resume', 'empty']);
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/--resume: not a run directory/);
    const both = await run(['--resume', 'empty', '--seed', '3']);
    expect(both.err).toMatch(/^diffcontract-train: --seed: cannot be combined with --resume/);
  });

  it('eval of something that is not a run', async () => {
    const r = await run(['eval', 'empty']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('diffcontract-train: RUN_DIR: not a run directory (empty)\n');
  });

  it('critic check of something that is not a run, or with a bad step', async () => {
    const r = await run(['critic', 'empty']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('diffcontract-train: RUN_DIR: not a run directory (empty)\n');
    const bad = await run(['critic', 'empty', '--step', '0']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--step: must be a number in \(0, 1\] \("0"\)/);
  });
});

describe('a tiny run', () => {
  const tiny = configFile('tiny.json', TINY);
  let full: Awaited<ReturnType<typeof run>>;
  const fullDir = join(root, 'full');

  beforeAll(async () => {
    full = await run(['--config', tiny, '--out', 'full', '--seed', '5']);
  });

  it('writes the whole run directory', () => {
    expect(full.err).not.toMatch(/Error|error/);
    expect(full.code).toBe(0);
    const files = readdirSync(fullDir).sort();
    for (const f of [
      RUN_FILES.config,
      RUN_FILES.metrics,
      RUN_FILES.checkpoints,
      `${RUN_FILES.policy}.json`,
      `${RUN_FILES.policy}.bin`,
      RUN_FILES.optimum,
      RUN_FILES.eval,
      RUN_FILES.contracts,
      RUN_FILES.contractsRaw,
      RUN_FILES.report,
      RUN_FILES.timing,
      RUN_FILES.curveRatio,
      RUN_FILES.curveViolation,
      RUN_FILES.perMarket,
    ]) {
      expect(files).toContain(f);
    }
    const config = JSON.parse(readFileSync(join(fullDir, RUN_FILES.config), 'utf8'));
    expect(config.seed).toBe(5);
    expect(config.actor.name).toBe('diffusion');
    expect(config.budget.steps).toBe(14);
    // a line every 3 steps plus the last step
    expect(readMetrics(fullDir).map((l) => l.step)).toEqual([3, 6, 9, 12, 14]);
    expect(listCheckpoints(join(fullDir, RUN_FILES.checkpoints))).toEqual([10, 14]);
    for (const svg of [RUN_FILES.curveRatio, RUN_FILES.curveViolation, RUN_FILES.perMarket]) {
      expect(readFileSync(join(fullDir, svg), 'utf8')).toMatch(/^<svg [^>]*>[\s\S]*<\/svg>\n$/);
    }
    expect(readFileSync(join(fullDir, RUN_FILES.report), 'utf8')).toContain('mean U/U* after repair');
  });

  it('evaluates, repairs and certifies each evaluation market', () => {
    const e = evalFile(fullDir);
    expect(e.perMarket).toHaveLength(3);
    expect(readdirSync(join(fullDir, RUN_FILES.contracts)).sort()).toEqual([
      'market-000.json',
      'market-001.json',
      'market-002.json',
    ]);
    expect(readdirSync(join(fullDir, RUN_FILES.contractsRaw))).toHaveLength(3);
    for (const m of e.perMarket) {
      expect(m.repaired.feasible).toBe(true);
      expect(m.repaired.ratio).toBeLessThanOrEqual(1 + 1e-9);
      expect(m.certificate.verdict).toBe('certified');
      expect(m.raw.ratio).toBeCloseTo(m.raw.utility / m.uStar, 12);
      const file = readModelFile(join(fullDir, RUN_FILES.contracts, `${m.name}.json`), {
        expect: 'contract',
      });
      expect(file.certificate?.verdict).toBe('certified');
    }
    expect(e.summary.certifiedShare).toBe(1);
    expect(full.out).toMatch(/mean U\/U\* after repair: +-?\d+\.\d{4} \(min -?\d+\.\d{4}\)/);
    expect(full.out).toMatch(/certified: +100\.0%/);
  });

  it('resumes after a kill bit for bit', async () => {
    // Killed after step 8: the checkpoint of step 5 survives, the metrics line of step 6 is redone.
    const crashed = await run(['--config', tiny, '--out', 'resumed', '--seed', '5'], { crashAfterStep: 8 });
    expect(crashed.code).toBe(1);
    expect(crashed.out).toMatch(/crashed after step 8\/14; continue with: diffcontract-train --resume /);
    const resumedDir = join(root, 'resumed');
    expect(existsSync(join(resumedDir, RUN_FILES.eval))).toBe(false);
    const resumed = await run(['--resume', 'resumed']);
    expect(resumed.code).toBe(0);
    expect(withoutTiming(readMetrics(resumedDir))).toEqual(withoutTiming(readMetrics(fullDir)));
    expect(readFileSync(join(resumedDir, `${RUN_FILES.policy}.bin`))).toEqual(
      readFileSync(join(fullDir, `${RUN_FILES.policy}.bin`)),
    );
    expect(evalFile(resumedDir).perMarket).toEqual(evalFile(fullDir).perMarket);
  });

  it('critic compares the checkpointed critic with the reward at the policy', async () => {
    const r = await run(['critic', 'full', '--markets', '4']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/mean cosine\(dQ\/da, dr\/da\): -?\d\.\d{3}/);
    const check = JSON.parse(readFileSync(join(fullDir, 'critic-check.json'), 'utf8'));
    expect(check.markets).toBe(4);
    // the allocation formulation's action: K + K^2 = 12 contributions
    expect(check.perCoordinate).toHaveLength(12);
    expect(Math.abs(check.meanCosine)).toBeLessThanOrEqual(1);
  });

  it('eval re-evaluates the saved policy, also on market files', async () => {
    const before = evalFile(fullDir);
    const again = await run(['eval', 'full', '--no-certify']);
    expect(again.code).toBe(0);
    const after = evalFile(fullDir);
    expect(after.perMarket.map((m: { repaired: unknown }) => m.repaired)).toEqual(
      before.perMarket.map((m: { repaired: unknown }) => m.repaired),
    );
    expect(after.summary.certifiedShare).toBeNull();
    const elsewhere = await run(['eval', 'full', '--no-certify', '--out', 'full-eval']);
    expect(elsewhere.code).toBe(0);
    expect(evalFile(join(root, 'full-eval')).perMarket).toEqual(after.perMarket);
    expect(readdirSync(join(root, 'full-eval', RUN_FILES.contracts))).toHaveLength(3);
    const onFiles = await run([
      'eval',
      'full',
      '--markets',
      join(examples, 'market-k3.json'),
      join(examples, 'contract-k3.json'),
    ]);
    expect(onFiles.err).not.toMatch(/rror/);
    expect(onFiles.code).toBe(0);
    const out = join(fullDir, 'eval-market-k3');
    const e = evalFile(out);
    expect(e.perMarket.map((m: { name: string }) => m.name)).toEqual(['market-k3', 'contract-k3']);
    // both files hold the same market: same policy output, same optimum
    expect(e.perMarket[0].uStar).toBe(e.perMarket[1].uStar);
    expect(e.perMarket[0].raw).toEqual(e.perMarket[1].raw);
    expect(readdirSync(join(out, RUN_FILES.contracts)).sort()).toEqual([
      'contract-k3.json',
      'market-k3.json',
    ]);
  });
});

describe('edmsac', () => {
  it('prunes the actor on schedule and resumes with its masks bit for bit', async () => {
    const config = configFile('edmsac.json', {
      ...TINY,
      algo: 'edmsac',
      // constant ratio 0.5 from the first recomputation, every 4 updates
      pruning: { rho: 0.5, pruneEvery: 4, rampShare: 0 },
      budget: { steps: 10, marketsPerStep: 4, warmupSteps: 2, updatesPerStep: 1 },
      logging: { logEvery: 2, checkpointEvery: 3, probeSize: 2 },
      evaluation: { markets: 1, certify: false },
    });
    const full = await run(['--config', config, '--out', 'ed-full']);
    expect(full.code).toBe(0);
    const lines = readMetrics(join(root, 'ed-full'));
    // updates = steps - warm-up; masks first computed at update 4 (step 6): floor(0.5 x width) per layer
    expect(lines.map((l) => [l.step, l.updates, l.prunedShare])).toEqual([
      [2, 0, 0],
      [4, 2, 0],
      [6, 4, 0.5],
      [8, 6, 0.5],
      [10, 8, 0.5],
    ]);
    const crashed = await run(['--config', config, '--out', 'ed-resumed'], { crashAfterStep: 8 });
    expect(crashed.code).toBe(1);
    expect((await run(['--resume', 'ed-resumed'])).code).toBe(0);
    expect(withoutTiming(readMetrics(join(root, 'ed-resumed')))).toEqual(withoutTiming(lines));
    expect(readFileSync(join(root, 'ed-resumed', `${RUN_FILES.policy}.bin`))).toEqual(
      readFileSync(join(root, 'ed-full', `${RUN_FILES.policy}.bin`)),
    );
    // the compacted export sits beside the policy, its FLOPs in timing.json
    expect(existsSync(join(root, 'ed-full', `${RUN_FILES.policyCompact}.bin`))).toBe(true);
    const timing = JSON.parse(readFileSync(join(root, 'ed-full', RUN_FILES.timing), 'utf8'));
    expect(timing.compactActor.widths).toEqual({ dense: [32, 16, 16], compacted: [16, 8, 8] });
    expect(timing.compactActor.flopsPerStep.compacted).toBeLessThan(
      timing.compactActor.flopsPerStep.dense / 2,
    );
  });

  it('taylor: masks from gate gradients, resumed mid-window bit for bit', async () => {
    const config = configFile('taylor.json', {
      ...TINY,
      algo: 'edmsac',
      // every 4 updates: a Taylor measurement after every update (taylorEvery(4) = 1)
      pruning: { strategy: 'taylor', rho: 0.5, pruneEvery: 4, rampShare: 0 },
      budget: { steps: 12, marketsPerStep: 4, warmupSteps: 2, updatesPerStep: 1 },
      logging: { logEvery: 2, checkpointEvery: 3, probeSize: 2 },
      evaluation: { markets: 1, certify: false },
    });
    const full = await run(['--config', config, '--out', 'ty-full']);
    expect(full.err).not.toMatch(/rror/);
    expect(full.code).toBe(0);
    const lines = readMetrics(join(root, 'ty-full'));
    expect(lines.map((l) => l.prunedShare)).toEqual([0, 0, 0.5, 0.5, 0.5, 0.5]);
    // the checkpoint of step 9 (update 7) falls inside the window that ends at update 8
    const crashed = await run(['--config', config, '--out', 'ty-resumed'], { crashAfterStep: 11 });
    expect(crashed.code).toBe(1);
    expect((await run(['--resume', 'ty-resumed'])).code).toBe(0);
    expect(withoutTiming(readMetrics(join(root, 'ty-resumed')))).toEqual(withoutTiming(lines));
    expect(readFileSync(join(root, 'ty-resumed', `${RUN_FILES.policy}.bin`))).toEqual(
      readFileSync(join(root, 'ty-full', `${RUN_FILES.policy}.bin`)),
    );
  });
});

describe('stopping', () => {
  it('Ctrl-C checkpoints after the current step and exits 130', async () => {
    const config = configFile('stop.json', { ...TINY, evaluation: { markets: 1, certify: false } });
    const ac = new AbortController();
    ac.abort();
    const r = await run(['--config', config, '--out', 'stopped'], { signal: ac.signal });
    expect(r.code).toBe(130);
    expect(r.out).toMatch(/stopped after step 1\/14; continue with: diffcontract-train --resume /);
    expect(listCheckpoints(join(root, 'stopped', RUN_FILES.checkpoints))).toEqual([1]);
    expect((await run(['--resume', 'stopped'])).code).toBe(0);
    expect(listCheckpoints(join(root, 'stopped', RUN_FILES.checkpoints))).toEqual([10, 14]);
  });
});
