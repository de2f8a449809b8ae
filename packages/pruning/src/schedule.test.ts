import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DynamicPruner, lowestMask, PruningSchedule, prunedCount } from './schedule.js';

function zeros(mask: Uint8Array): number {
  return mask.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);
}

describe('PruningSchedule', () => {
  // rho 0.2 ramped over rampShare 0.5 of 1000 updates: the ramp spans steps 0..500.
  it('cubic ramp: rho (1 - (1 - p)^3)', () => {
    const s = new PruningSchedule({ rho: 0.2, totalSteps: 1000, rampShare: 0.5 });
    expect(s.ramp).toBe('cubic');
    expect(s.ratioAt(0)).toBe(0);
    expect(s.ratioAt(100)).toBeCloseTo(0.0976, 12); // p = 0.2: 0.2 (1 - 0.512)
    expect(s.ratioAt(250)).toBeCloseTo(0.175, 12); // p = 0.5: 0.2 (1 - 0.125)
    expect(s.ratioAt(400)).toBeCloseTo(0.1984, 12); // p = 0.8: 0.2 (1 - 0.008)
    expect(s.ratioAt(500)).toBeCloseTo(0.2, 12);
    expect(s.ratioAt(900)).toBeCloseTo(0.2, 12);
  });

  it('linear and constant ramps', () => {
    const lin = new PruningSchedule({ rho: 0.2, totalSteps: 1000, rampShare: 0.5, ramp: 'linear' });
    expect(lin.ratioAt(100)).toBeCloseTo(0.04, 12);
    expect(lin.ratioAt(250)).toBeCloseTo(0.1, 12);
    expect(lin.ratioAt(600)).toBeCloseTo(0.2, 12);
    const constant = new PruningSchedule({ rho: 0.3, ramp: 'constant' });
    expect(constant.ratioAt(0)).toBe(0.3);
    expect(constant.ratioAt(12345)).toBe(0.3);
    // rampShare 0: the full ratio from the start, whatever the ramp shape
    expect(new PruningSchedule({ rho: 0.3, totalSteps: 10, rampShare: 0 }).ratioAt(1)).toBe(0.3);
  });

  it('defaults: rho 0.1, pruneEvery 1000, rampShare 0.5, cubic', () => {
    const s = new PruningSchedule({ totalSteps: 10_000 });
    expect([s.rho, s.pruneEvery, s.rampShare, s.ramp, s.rampSteps]).toEqual([0.1, 1000, 0.5, 'cubic', 5000]);
    // first recomputation: p = 0.2, ratio 0.0488, floor(0.0488 x 256) = 12 neurons
    expect(s.countAt(1000, 256)).toBe(12);
    expect(s.countAt(5000, 256)).toBe(25);
  });

  it('recomputes at every multiple of pruneEvery after step 0', () => {
    const s = new PruningSchedule({ pruneEvery: 100, ramp: 'constant' });
    expect([0, 1, 99, 100, 150, 200, 1000].map((t) => s.shouldRecompute(t))).toEqual([
      false,
      false,
      false,
      true,
      false,
      true,
      true,
    ]);
  });

  it('rejects bad configuration with one-line messages naming the field', () => {
    expect(() => new PruningSchedule({ rho: 1, ramp: 'constant' })).toThrow(
      /^pruning\.rho: must be a number in \[0, 1\) \(1\)$/,
    );
    expect(() => new PruningSchedule({ rho: Number.NaN, ramp: 'constant' })).toThrow(
      /^pruning\.rho: .*\(NaN\)$/,
    );
    expect(() => new PruningSchedule({ pruneEvery: 0.5, ramp: 'constant' })).toThrow(
      /^pruning\.pruneEvery: must be a positive integer \(0\.5\)$/,
    );
    expect(() => new PruningSchedule({})).toThrow(/^pruning\.totalSteps: is required for a cubic ramp$/);
    expect(() => new PruningSchedule({ totalSteps: 10, ramp: 'step' as never })).toThrow(
      /^pruning\.ramp: must be one of cubic, linear, constant \("step"\)$/,
    );
    expect(() => new PruningSchedule({ totalSteps: 10, rampShare: 2 }, 'cfg.pruning')).toThrow(
      /^cfg\.pruning\.rampShare: /,
    );
  });
});

describe('lowestMask', () => {
  it('masks exactly floor(rho x width) neurons for ratios given in percent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer(),
        (percent, width, seed) => {
          const scores = Array.from({ length: width }, (_, j) => Math.sin(seed + j * 7.3));
          const mask = lowestMask(scores, prunedCount(percent / 100, width));
          // integer arithmetic: floor(percent x width / 100) with no rounding involved
          expect(zeros(mask)).toBe(Math.floor((percent * width) / 100));
        },
      ),
    );
  });

  it('prunes the lowest scores: every pruned score <= every kept score', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.nat(),
        (scores, k) => {
          const count = k % (scores.length + 1);
          const mask = lowestMask(scores, count);
          expect(zeros(mask)).toBe(count);
          const pruned = scores.filter((_, j) => mask[j] === 0);
          const kept = scores.filter((_, j) => mask[j] === 1);
          if (pruned.length > 0 && kept.length > 0)
            expect(Math.max(...pruned)).toBeLessThanOrEqual(Math.min(...kept));
        },
      ),
    );
  });

  it('breaks ties by index, lowest first', () => {
    expect([...lowestMask([1, 1, 1, 1, 1], 2)]).toEqual([0, 0, 1, 1, 1]);
    expect([...lowestMask([3, 2, 2, 5, 2], 2)]).toEqual([1, 0, 0, 1, 1]);
  });

  it('hits the documented counts, including decimal ratios that round badly in binary', () => {
    expect(prunedCount(0.1, 256)).toBe(25);
    expect(prunedCount(0.3, 10)).toBe(3);
    expect(prunedCount(0.29, 100)).toBe(29); // 0.29 x 100 = 28.999999999999996 in float64
    expect(prunedCount(0.5, 33)).toBe(16);
    expect(prunedCount(0.3, 32)).toBe(9);
  });

  it('rejects NaN scores', () => {
    expect(() => lowestMask([1, Number.NaN], 1, 'scores[2]')).toThrow(
      /^scores\[2\]\[1\]: must be a number \(NaN\)$/,
    );
  });
});

describe('DynamicPruner', () => {
  it('a neuron pruned at one recomputation returns at the next when its score rises', () => {
    const pruner = new DynamicPruner({ rho: 0.25, pruneEvery: 10, ramp: 'constant' });
    const first = pruner.recompute(10, [[5, 1, 4, 3, 6, 7, 8, 9]]);
    expect([...first[0]!]).toEqual([1, 0, 1, 0, 1, 1, 1, 1]); // floor(0.25 x 8) = 2: scores 1 and 3
    const second = pruner.recompute(20, [[5, 10, 4, 3, 6, 7, 8, 9]]);
    expect([...second[0]!]).toEqual([1, 1, 0, 0, 1, 1, 1, 1]); // neuron 1 is back, neuron 2 (score 4) goes
    expect(pruner.masks).toBe(second);
    expect(pruner.step).toBe(20);
  });

  it('uses the ramped ratio of the step and masks each group separately', () => {
    const pruner = new DynamicPruner({ rho: 0.5, totalSteps: 100, rampShare: 1, ramp: 'linear' });
    const scores = [Array.from({ length: 10 }, (_, j) => j), Array.from({ length: 4 }, (_, j) => -j)];
    expect(pruner.recompute(40, scores).map(zeros)).toEqual([2, 0]); // ratio 0.2: 2 of 10, 0 of 4
    expect(pruner.recompute(100, scores).map(zeros)).toEqual([5, 2]);
    expect([...pruner.masks![1]!]).toEqual([1, 1, 0, 0]);
  });

  it('rejects a change in the number or width of groups', () => {
    const pruner = new DynamicPruner({ ramp: 'constant' });
    pruner.recompute(1, [[1, 2, 3]]);
    expect(() => pruner.recompute(2, [[1, 2]])).toThrow(/^scores\[0\]: must have width 3 \(2\)$/);
    expect(() => pruner.recompute(2, [[1, 2, 3], [1]])).toThrow(
      /^scores: must hold one array per group \(1\) \(2\)$/,
    );
  });
});
