import { createNoise } from '@diffcontract/diffusion-actor';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mergeConfig, type TrainConfig } from './config.js';
import { addExplorationNoise, explorationStd } from './exploration.js';

const config = (noise: number, noiseFinal: number): TrainConfig =>
  mergeConfig(DEFAULT_CONFIG, {
    budget: { steps: 111, warmupSteps: 11 },
    exploration: { noise, noiseFinal },
  });

describe('explorationStd', () => {
  it('is `noise` at the first step after warm-up, `noiseFinal` at the last, linear in between', () => {
    const c = config(0.3, 0.1);
    expect(explorationStd(c, 11)).toBeCloseTo(0.3, 12);
    expect(explorationStd(c, 110)).toBeCloseTo(0.1, 12);
    // steps 11..110 span 99 intervals
    expect(explorationStd(c, 11 + 33)).toBeCloseTo(0.3 - (0.2 * 33) / 99, 12);
    expect(explorationStd(c, 0)).toBeCloseTo(0.3, 12);
  });
});

describe('addExplorationNoise', () => {
  it('adds std * N(0, 1) from the given stream and clips to [-1, 1]', () => {
    const actions = new Float32Array([0, 0.5, -0.95, 0.99, -1, 1, 0.2, -0.3]);
    const noisy = actions.slice();
    addExplorationNoise(noisy, 0.25, createNoise(7));
    const z = createNoise(7).normals(actions.length);
    actions.forEach((a, k) => {
      const expected = Math.min(1, Math.max(-1, Math.fround(a + 0.25 * z[k]!)));
      expect(noisy[k]).toBeCloseTo(expected, 6);
      expect(Math.abs(noisy[k]!)).toBeLessThanOrEqual(1);
    });
  });

  it('is deterministic under a seed and continues the stream after a restore', () => {
    const run = (seed: number) => {
      const a = new Float32Array(64);
      addExplorationNoise(a, 0.2, createNoise(seed));
      return Array.from(a);
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
    const stream = createNoise(3);
    addExplorationNoise(new Float32Array(10), 0.2, stream);
    const saved = stream.state();
    const first = new Float32Array(10);
    addExplorationNoise(first, 0.2, stream);
    const again = createNoise(0);
    again.restore(saved);
    const second = new Float32Array(10);
    addExplorationNoise(second, 0.2, again);
    expect(Array.from(second)).toEqual(Array.from(first));
  });

  it('has the configured spread away from the bounds; std 0 leaves actions and stream untouched', () => {
    const n = 20_000;
    const a = new Float32Array(n);
    addExplorationNoise(a, 0.1, createNoise(11));
    const mean = a.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(sd).toBeGreaterThan(0.095);
    expect(sd).toBeLessThan(0.105);
    const stream = createNoise(5);
    const before = stream.state();
    const b = new Float32Array([0.1, -0.2]);
    addExplorationNoise(b, 0, stream);
    expect(Array.from(b)).toEqual([Math.fround(0.1), Math.fround(-0.2)]);
    expect(stream.state()).toEqual(before);
  });
});
