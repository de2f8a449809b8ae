import { validateAgainst } from '@diffcontract/specs';
import { describe, expect, test } from 'vitest';
import { DESIGNS, MODES, planRuns, runId, sweepPointRuns, trainConfigFile, updatesPerRun } from './plan.js';

describe('experiment design', () => {
  const design = DESIGNS.reduced;
  const runs = planRuns(design);

  test('reduced mode: 3 algorithms x 5 seeds, EDMSAC and DMSAC in the contract formulation x 3 seeds, then 3 rho points and 2 T points x 2 seeds', () => {
    expect(runs).toHaveLength(15 + 2 * 3 + 3 * 2 + 2 * 2);
    expect(new Set(runs.map((r) => r.id)).size).toBe(runs.length);
    for (const algo of ['edmsac', 'dmsac', 'sac'] as const) {
      expect(runs.filter((r) => r.group === 'main' && r.algo === algo).map((r) => r.seed)).toEqual([
        0, 1, 2, 3, 4,
      ]);
    }
    // comparison first, seed by seed
    expect(runs.slice(0, 3).map((r) => r.id)).toEqual(['edmsac-s0', 'dmsac-s0', 'sac-s0']);
    expect(runs.filter((r) => r.group === 'contract').map((r) => r.id)).toEqual([
      'edmsac-contract-s0',
      'dmsac-contract-s0',
      'edmsac-contract-s1',
      'dmsac-contract-s1',
      'edmsac-contract-s2',
      'dmsac-contract-s2',
    ]);
    expect(runs.filter((r) => r.formulation === 'contract').every((r) => r.group === 'contract')).toBe(true);
    // (330 - 30) steps after the warm-up: 4 updates each in the allocation formulation, 8 in the contract one
    expect(updatesPerRun(design)).toBe(300 * 4);
    expect(updatesPerRun(design, 'contract')).toBe(300 * 8);
    expect(updatesPerRun(DESIGNS.full)).toBe(1950 * 4);
  });

  test('full mode: 5 seeds per algorithm, 3 per contract-formulation learner, 2 per sweep point, 100 markets', () => {
    expect(planRuns(DESIGNS.full)).toHaveLength(15 + 2 * 3 + 3 * 2 + 2 * 2);
    expect(DESIGNS.full.evalMarkets).toBe(100);
  });

  test('run ids name what differs from the comparison configuration', () => {
    expect(runId('edmsac', 3, 0.1, 5, design)).toBe('edmsac-s3');
    expect(runId('edmsac', 0, 0.3, 5, design)).toBe('edmsac-rho0.3-s0');
    expect(runId('edmsac', 1, 0.1, 8, design)).toBe('edmsac-T8-s1');
    expect(runId('sac', 2, 0, 5, design)).toBe('sac-s2');
    expect(runId('dmsac', 2, 0, 5, design, 'contract')).toBe('dmsac-contract-s2');
  });

  test('sweep points reuse comparison runs where they coincide', () => {
    const ids = (xs: { id: string }[]) => xs.map((x) => x.id);
    expect(ids(sweepPointRuns(runs, design, 'rho', 0))).toEqual([
      'dmsac-s0',
      'dmsac-s1',
      'dmsac-s2',
      'dmsac-s3',
      'dmsac-s4',
    ]);
    expect(ids(sweepPointRuns(runs, design, 'rho', 0.1))).toHaveLength(5);
    expect(ids(sweepPointRuns(runs, design, 'rho', 0.3))).toEqual(['edmsac-rho0.3-s0', 'edmsac-rho0.3-s1']);
    expect(ids(sweepPointRuns(runs, design, 'steps', 5))).toEqual(
      ids(sweepPointRuns(runs, design, 'rho', 0.1)),
    );
    expect(ids(sweepPointRuns(runs, design, 'steps', 3))).toEqual(['edmsac-T3-s0', 'edmsac-T3-s1']);
    // the contract formulation's runs belong to no sweep point
    for (const v of [0, 0.1])
      expect(ids(sweepPointRuns(runs, design, 'rho', v)).join()).not.toMatch(/contract/);
  });

  test("every run's config file is valid against the training config's schema, in every mode", () => {
    for (const mode of MODES) {
      for (const spec of planRuns(DESIGNS[mode])) {
        expect(validateAgainst('train-config', trainConfigFile(spec, DESIGNS[mode])), spec.id).toEqual([]);
      }
    }
  });

  test('config files spell out the formulation, learner, budget, pruning and evaluation of each run', () => {
    const ed = runs.find((r) => r.id === 'edmsac-rho0.5-s1')!;
    expect(trainConfigFile(ed, design)).toEqual({
      algo: 'edmsac',
      seed: 1,
      backend: 'wasm',
      environment: { action: 'allocation', penalty: 5, rewardTransform: 'none' },
      sac: { actorLr: 1e-3, actorEvery: 4, exactGradient: 1 },
      actor: { denoisingSteps: 5 },
      exploration: { noise: 0.2, noiseFinal: 0.05 },
      budget: { steps: 330, marketsPerStep: 16, updatesPerStep: 4, warmupSteps: 30 },
      logging: { logEvery: 30, checkpointEvery: 110, probeSize: 16 },
      pruning: { strategy: 'magnitude', rho: 0.5, pruneEvery: 100, rampShare: 0.3 },
      evaluation: { certify: true, markets: 20, candidates: 16 },
    });
    const dm = trainConfigFile(runs.find((r) => r.id === 'dmsac-s2')!, design);
    expect(dm.pruning).toEqual({ strategy: 'none', rho: 0, pruneEvery: 100, rampShare: 0.3 });
    const t8 = trainConfigFile(runs.find((r) => r.id === 'edmsac-T8-s0')!, design);
    expect(t8.actor).toEqual({ denoisingSteps: 8 });
    // the contract formulation: the paper-style learner (the settings of the earlier committed results)
    const c = trainConfigFile(runs.find((r) => r.id === 'edmsac-contract-s1')!, design);
    expect(c.environment).toEqual({ action: 'contract', penalty: 5, rewardTransform: 'symlog' });
    expect(c.sac).toEqual({ actorLr: 1e-4, actorEvery: 8, exactGradient: 0 });
    expect(c.actor).toEqual({ denoisingSteps: 5 });
    expect(c.budget).toEqual({ steps: 330, marketsPerStep: 16, updatesPerStep: 8, warmupSteps: 30 });
    expect(c.evaluation).toEqual({ certify: true, markets: 20, candidates: 1 });
    expect(c.pruning).toEqual({ strategy: 'magnitude', rho: 0.1, pruneEvery: 100, rampShare: 0.3 });
  });
});
