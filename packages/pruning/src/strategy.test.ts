import { describe, expect, it } from 'vitest';
import { magnitudeScores } from './importance.js';
import { countMaskViolations, MaskedNetwork } from './mask.js';
import { chainGroups, groupWidths } from './network.js';
import { DynamicPruner, PruningSchedule } from './schedule.js';
import { createPruningStrategy, PRUNING_DEFAULTS, pruningStrategies } from './strategy.js';
import { randomChain } from './test-helpers.js';
import type { PrunableNetwork } from './types.js';

function chain(widths: number[], seed: number): PrunableNetwork {
  const layers = randomChain(widths, seed);
  return { layers, groups: chainGroups(layers) };
}

function pruned(mask: Uint8Array): number[] {
  return [...mask].flatMap((v, j) => (v === 0 ? [j] : []));
}

describe('strategy registry', () => {
  it('resolves none, magnitude and taylor by name', () => {
    expect([...pruningStrategies.keys()]).toEqual(['none', 'magnitude', 'taylor']);
    for (const name of ['none', 'magnitude', 'taylor']) {
      expect(createPruningStrategy(name, { totalSteps: 100 }).name).toBe(name);
    }
    expect(createPruningStrategy('taylor', { totalSteps: 100 }).needsActivationGradients).toBe(true);
    expect(createPruningStrategy('magnitude', { totalSteps: 100 }).needsActivationGradients).toBe(false);
  });

  it('reports unknown names and options in one line with the field path', () => {
    expect(() => createPruningStrategy('random')).toThrow(
      /^pruning\.strategy: must be one of none, magnitude, taylor \("random"\)$/,
    );
    expect(() => createPruningStrategy('magnitude', { rhoo: 0.2 } as never)).toThrow(
      /^pruning\.rhoo: is not a pruning option \(0\.2\)$/,
    );
    expect(() =>
      createPruningStrategy('magnitude', { totalSteps: 10, norm: 'l3' as never }, 'train.pruning'),
    ).toThrow(/^train\.pruning\.norm: must be 'l1' or 'l2' \("l3"\)$/);
    expect(() => createPruningStrategy('taylor', { totalSteps: 10, rho: -0.1 })).toThrow(/^pruning\.rho: /);
  });

  it('accepts plug-in strategies built from the exported pieces', () => {
    // a toy criterion: later neurons matter less
    pruningStrategies.set('last', (config, path) => {
      const pruner = new DynamicPruner(new PruningSchedule(config, path));
      const scores = (net: PrunableNetwork) =>
        groupWidths(net).map((w) => Float64Array.from({ length: w }, (_, j) => w - j));
      return {
        name: 'last',
        needsActivationGradients: false,
        get masks() {
          return pruner.masks;
        },
        shouldRecompute: (step) => pruner.shouldRecompute(step),
        ratioAt: (step) => pruner.ratioAt(step),
        observe() {},
        observeReduced() {},
        scores,
        recompute: (step, net) => pruner.recompute(step, scores(net)),
      };
    });
    try {
      const s = createPruningStrategy('last', { rho: 0.4, ramp: 'constant' });
      expect(s.recompute(1000, chain([2, 5, 1], 1)).map(pruned)).toEqual([[3, 4]]);
    } finally {
      pruningStrategies.delete('last');
    }
  });

  it('documents its defaults', () => {
    expect(PRUNING_DEFAULTS).toEqual({
      rho: 0.1,
      pruneEvery: 1000,
      rampShare: 0.5,
      ramp: 'cubic',
      norm: 'l2',
      includeBias: true,
      taylorReduction: 'meanAbs',
      taylorMeasureMasked: false,
    });
  });
});

describe("strategy 'none'", () => {
  it('never recomputes and masks nothing', () => {
    const s = createPruningStrategy('none');
    const net = chain([3, 5, 2], 1);
    expect([0, 1000, 5000].map((t) => s.shouldRecompute(t))).toEqual([false, false, false]);
    expect(s.ratioAt(5000)).toBe(0);
    expect(s.recompute(1000, net).map((m) => [...m])).toEqual([[1, 1, 1, 1, 1]]);
  });
});

describe("strategy 'magnitude' with MaskedNetwork", () => {
  it('masks the lowest-magnitude neurons, and a pruned neuron returns when another falls below it', () => {
    const net = chain([4, 10, 10, 2], 5);
    const state = new MaskedNetwork(net);
    const strategy = createPruningStrategy('magnitude', { rho: 0.3, pruneEvery: 5, ramp: 'constant' });
    expect(strategy.shouldRecompute(5)).toBe(true);
    const expected = magnitudeScores(net).map((s) => {
      const order = [...s.keys()].sort((a, b) => s[a]! - s[b]! || a - b);
      return order.slice(0, 3).sort((a, b) => a - b);
    });
    const masks1 = strategy.recompute(5, state.dense());
    expect(masks1.map(pruned)).toEqual(expected);
    state.apply(masks1);
    expect(countMaskViolations(net, masks1)).toBe(0);

    // training shrinks an active neuron of the first group to almost nothing
    const scores1 = magnitudeScores(state.dense())[0]!;
    const victim = [...scores1.keys()]
      .filter((j) => masks1[0]![j] === 1)
      .sort((a, b) => scores1[a]! - scores1[b]!)[0]!;
    const layer0 = net.layers[0]!;
    for (let i = 0; i < 4; i++) layer0.kernel[i * 10 + victim]! *= 1e-3;
    layer0.bias[victim]! *= 1e-3;
    for (let k = 0; k < 10; k++) net.layers[1]!.kernel[victim * 10 + k]! *= 1e-3;

    const masks2 = strategy.recompute(10, state.dense());
    const change = state.apply(masks2);
    expect(pruned(masks2[0]!)).toContain(victim);
    expect(change.restored[0]).toBe(1);
    // the returning neuron is the strongest of the previously masked ones, with its weights back
    const back = pruned(masks1[0]!).find((j) => masks2[0]![j] === 1)!;
    const maskedScores = pruned(masks1[0]!).map((j) => scores1[j]!);
    expect(scores1[back]).toBe(Math.max(...maskedScores));
    expect(net.layers[0]!.bias[back]).not.toBe(0);
    expect(countMaskViolations(net, masks2)).toBe(0);
  });
});

describe("strategy 'taylor'", () => {
  it('scores from observed batches; a masked neuron keeps its score and returns when others drop', () => {
    const net = chain([3, 4, 2], 1);
    const s = createPruningStrategy('taylor', { rho: 0.25, pruneEvery: 2, ramp: 'constant' });
    const ones = new Float32Array(4).fill(1);
    s.observe(0, Float32Array.from([4, 1, 3, 2]), ones, 1);
    s.observe(0, Float32Array.from([4, 1, 3, 2]), ones, 1);
    const m1 = s.recompute(2, net);
    expect(pruned(m1[0]!)).toEqual([1]);
    // next window: neuron 1 is masked (activation 0), neuron 3's importance collapses
    s.observe(0, Float32Array.from([4, 0, 3, 0.5]), ones, 1);
    const m2 = s.recompute(4, net);
    expect(pruned(m2[0]!)).toEqual([3]);
    expect(s.scores(net)[0]![1]).toBe(1); // neuron 1 kept its estimate from when it was active
    expect(s.masks).toBe(m2);
  });

  it('with taylorMeasureMasked, masked neurons are measured too (gate-style gradients)', () => {
    const net = chain([3, 4, 2], 1);
    const s = createPruningStrategy('taylor', {
      rho: 0.25,
      pruneEvery: 2,
      ramp: 'constant',
      taylorMeasureMasked: true,
    });
    const ones = new Float32Array(4).fill(1);
    s.observe(0, Float32Array.from([4, 1, 3, 2]), ones, 1);
    expect(pruned(s.recompute(2, net)[0]!)).toEqual([1]);
    // neuron 1 is masked, but its pre-gate activation times the gate gradient shows it would now matter
    s.observe(0, Float32Array.from([4, 5, 3, 2]), ones, 1);
    expect(s.scores(net)[0]![1]).toBe(5);
    expect(pruned(s.recompute(4, net)[0]!)).toEqual([3]);
    expect(() =>
      createPruningStrategy('taylor', { ramp: 'constant', taylorMeasureMasked: 1 as never }),
    ).toThrow(/^pruning\.taylorMeasureMasked: must be true or false \(1\)$/);
  });

  it('a saved state restored through JSON continues exactly as the original (checkpoints)', () => {
    const net = chain([3, 4, 2], 1);
    const make = () => createPruningStrategy('taylor', { rho: 0.25, pruneEvery: 2, ramp: 'constant' });
    const a = make();
    a.observeReduced(0, [0.1, 1 / 3, 0.7, 0.2]);
    a.recompute(2, net);
    a.observeReduced(0, [0.4, Math.PI, 0.05, 0.9]);
    const b = make();
    b.loadState!(JSON.parse(JSON.stringify(a.saveState!())));
    for (const s of [a, b]) s.observeReduced(0, [0.3, 0.1, 0.6, 0.01]);
    expect(b.scores(net)).toEqual(a.scores(net));
    expect(b.recompute(4, net)).toEqual(a.recompute(4, net));
    // the masks fed to the accumulator came back too: neuron 0 (masked at step 2) was not measured
    expect(b.scores(net)[0]![0]).toBe(0.1);
    expect(createPruningStrategy('magnitude', { ramp: 'constant' }).saveState).toBeUndefined();
  });
});
