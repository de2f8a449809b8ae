import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  actionDim,
  allocationActionDim,
  allocationOf,
  encodeAction,
  encodeAllocation,
  evaluationSet,
  toFloatContract,
} from '@diffcontract/env';
import { solveOptimum } from '@diffcontract/optimum';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluatePolicy } from './evaluate.js';
import { evalMarketsOf } from './markets.js';
import { optimumFor } from './optimum.js';
import { Probe } from './probe.js';
import { type MarketResult, summarise } from './summary.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const markets = evalMarketsOf(evaluationSet().slice(0, 3));
const K = markets[0]!.market.theta.length;

describe('evaluatePolicy', () => {
  it("delivers the optimum's own allocation at U/U* = 1, exactly feasible and certified, and writes both files", async () => {
    const optima = await Promise.all(markets.map((m) => solveOptimum(m.exact)));
    const A = allocationActionDim(K);
    // The policy proposes each market's optimal allocation (float32 action, so the allocation is
    // only near the optimum's: the exact pricing then pays its cheapest rewards).
    const act = () => {
      const out = new Float32Array(markets.length * A);
      markets.forEach((m, i) => {
        encodeAllocation(m.market, allocationOf(toFloatContract(optima[i]!.exactContract)), out, i * A);
      });
      return out;
    };
    const outDir = mkdtempSync(join(tmpdir(), 'evaluation-'));
    dirs.push(outDir);
    const optimum = await optimumFor(markets.map((m) => m.exact));
    const report = await evaluatePolicy({
      markets,
      optimum,
      act,
      formulation: 'allocation',
      penalty: 5,
      certify: true,
      outDir,
      source: 'test',
    });
    for (const [i, r] of report.markets.entries()) {
      expect(r.uStar).toBe(optima[i]!.cloudUtility);
      expect(r.repaired.feasible).toBe(true);
      expect(r.repaired.changedAllocation).toBe(false);
      expect(r.repaired.ratio).toBeCloseTo(1, 4);
      expect(r.certificate?.verdict).toBe('certified');
    }
    expect(report.summary.certifiedShare).toBe(1);
    expect(readdirSync(join(outDir, 'contracts')).sort()).toEqual([
      'market-000.json',
      'market-001.json',
      'market-002.json',
    ]);
    const file = JSON.parse(readFileSync(join(outDir, 'contracts', 'market-001.json'), 'utf8'));
    expect(file.meta.source).toBe('test (exactly priced)');
    expect(file.certificate.verdict).toBe('certified');
    expect(readdirSync(join(outDir, 'contracts-raw'))).toHaveLength(3);
  });

  it('contract formulation: the raw figures are the decoded contract itself, the probe agrees with it', async () => {
    const optima = await Promise.all(markets.map((m) => solveOptimum(m.exact)));
    const A = actionDim(K);
    // The optimal contracts themselves as actions: near-feasible raw contracts near U/U* = 1.
    const actions = new Float32Array(markets.length * A);
    markets.forEach((m, i) => {
      encodeAction(m.market, toFloatContract(optima[i]!.exactContract), actions, i * A);
    });
    const optimum = await optimumFor(markets.map((m) => m.exact));
    const report = await evaluatePolicy({
      markets,
      optimum,
      act: () => actions,
      formulation: 'contract',
      penalty: 5,
      certify: false,
    });
    expect(report.summary.certifiedShare).toBeNull();
    expect(report.summary.meanRatioRaw).toBeCloseTo(1, 3);
    expect(report.summary.meanRatioRepaired).toBeCloseTo(1, 3);
    // The probe prices the same actions with the batched float evaluator: an independent path to
    // the same raw figures.
    const probe = await Probe.create(
      markets.map((m) => m.market),
      undefined,
      'contract',
      5,
    );
    const figures = await probe.measure(actions);
    expect(figures.ratio).toBeCloseTo(report.summary.meanRatioRaw, 9);
    expect(figures.violation).toBeCloseTo(report.summary.meanViolationRaw, 9);
    expect(figures.ratioRepaired).toBeCloseTo(report.summary.meanRatioRepaired, 9);
  });

  it('refuses N > 1 without a sampler and an empty market list', async () => {
    const base = { optimum: [], act: () => new Float32Array(0), formulation: 'allocation' as const };
    await expect(evaluatePolicy({ ...base, markets: [], penalty: 5, certify: false })).rejects.toThrow(
      'no markets',
    );
    await expect(
      evaluatePolicy({ ...base, markets, penalty: 5, certify: false, candidates: 4 }),
    ).rejects.toThrow('candidates 4 needs a sample function');
  });
});

describe('optimumFor', () => {
  it('solves each market once per cache file and answers from the cache afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evaluation-'));
    dirs.push(dir);
    const cache = join(dir, 'optimum.json');
    const calls: number[] = [];
    const first = await optimumFor(
      markets.slice(0, 2).map((m) => m.exact),
      cache,
    );
    const again = await optimumFor(
      markets.slice(0, 2).map((m) => m.exact),
      cache,
      (done) => calls.push(done),
    );
    expect(again).toEqual(first);
    expect(calls).toEqual([1, 2]);
    expect(JSON.parse(readFileSync(cache, 'utf8')).entries).toHaveLength(2);
    expect(first[0]!.uStar).toBe((await solveOptimum(markets[0]!.exact)).cloudUtility);
  });
});

describe('summarise', () => {
  const result = (
    ratio: number,
    repaired: number,
    feasible: boolean,
    verdict: string | null,
  ): MarketResult => ({
    name: 'm',
    uStar: 10,
    uStarGap: 0,
    raw: { utility: 10 * ratio, ratio, violation: feasible ? 0 : 0.5, feasible },
    repaired: { utility: 10 * repaired, ratio: repaired, feasible: true, changedAllocation: !feasible },
    candidate: 0,
    single: { ratio: repaired, changedAllocation: !feasible },
    certificate: verdict === null ? null : { verdict, timeMs: 1 },
  });

  it('means, minima and shares by hand', () => {
    const s = summarise([result(0.5, 0.9, true, 'certified'), result(1.5, 0.7, false, 'violated')], 16);
    expect(s.markets).toBe(2);
    expect(s.meanRatioRaw).toBe(1);
    expect(s.meanRatioRepaired).toBeCloseTo(0.8, 15);
    expect(s.minRatioRepaired).toBe(0.7);
    expect(s.meanViolationRaw).toBe(0.25);
    expect(s.feasibleShareRaw).toBe(0.5);
    expect(s.feasibleShareRepaired).toBe(1);
    expect(s.certifiedShare).toBe(0.5);
    expect(s.changedAllocationShare).toBe(0.5);
    expect(s.candidates).toBe(16);
  });

  it('no certified share when any market went uncertified', () => {
    expect(summarise([result(1, 1, true, 'certified'), result(1, 1, true, null)]).certifiedShare).toBeNull();
  });
});
