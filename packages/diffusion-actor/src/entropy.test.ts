import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import { createDiffusionActor } from './actor.js';
import { knnEntropy, knnEntropyConstant, logUnitBallVolume } from './entropy.js';
import { createNoise } from './nn/noise.js';
import { useTestBackend } from './test-backend.js';

await useTestBackend();

const gaussianEntropy = (d: number, sigma: number) =>
  (d / 2) * Math.log(2 * Math.PI * Math.E * sigma * sigma);

function gaussianSamples(g: number, m: number, d: number, sigma: number, seed: number): tf.Tensor3D {
  const v = createNoise(seed).normals(g * m * d);
  for (let i = 0; i < v.length; i++) v[i]! *= sigma;
  return tf.tensor3d(v, [g, m, d]);
}

const value = (t: tf.Scalar) => {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};

describe('knnEntropy', () => {
  test('unit-ball volumes: 2 in 1-D, pi in 2-D, 4 pi / 3 in 3-D', () => {
    expect(Math.exp(logUnitBallVolume(1))).toBeCloseTo(2, 12);
    expect(Math.exp(logUnitBallVolume(2))).toBeCloseTo(Math.PI, 12);
    expect(Math.exp(logUnitBallVolume(3))).toBeCloseTo((4 * Math.PI) / 3, 12);
  });

  test('two points in 1-D, by hand: H = 1 + log 2 + log |x1 - x0|, gradient -+1/|x1 - x0|', () => {
    const x = tf.tensor3d([0, 0.5], [1, 2, 1]);
    expect(value(knnEntropy(x))).toBeCloseTo(1 + Math.log(2) + Math.log(0.5), 5);
    const g = tf
      .grad((s) => knnEntropy(s as tf.Tensor3D))(x)
      .dataSync();
    expect(g[0]).toBeCloseTo(-2, 4);
    expect(g[1]).toBeCloseTo(2, 4);
    expect(knnEntropyConstant(2, 1)).toBeCloseTo(1 + Math.log(2), 12);
  });

  test('recovers the entropy of a 2-D Gaussian from 512 samples (within 0.15 nats)', () => {
    for (const sigma of [0.1, 1]) {
      const est = value(knnEntropy(gaussianSamples(4, 512, 2, sigma, 1)));
      expect(Math.abs(est - gaussianEntropy(2, sigma))).toBeLessThan(0.15);
    }
  });

  test('scaling the samples by c shifts the estimate by exactly d log c', () => {
    const x = gaussianSamples(8, 8, 24, 0.2, 2);
    const base = value(knnEntropy(x));
    const scaled = value(knnEntropy(tf.mul(x, 3) as tf.Tensor3D));
    expect(scaled - base).toBeCloseTo(24 * Math.log(3), 3);
  });

  test('coincident samples give a finite (very negative) value', () => {
    const est = value(knnEntropy(tf.zeros([1, 4, 3]) as tf.Tensor3D));
    expect(Number.isFinite(est)).toBe(true);
    expect(est).toBeLessThan(-30);
  });
});

describe('DiffusionActor.entropy', () => {
  test('is differentiable in every eps-network weight and finite', () => {
    const actor = createDiffusionActor({
      stateDim: 3,
      actionDim: 2,
      hidden: [16, 16],
      entropyStates: 2,
      entropySamples: 4,
    });
    const s = tf.tensor2d([0.1, 0.2, 0.3, -0.5, 0.4, 0.9, 0, 0, 0], [3, 3]);
    const { value: h, grads } = tf.variableGrads(
      () => actor.entropy(s, createNoise(1)),
      actor.variables as tf.Variable[],
    );
    expect(Number.isFinite(h.dataSync()[0]!)).toBe(true);
    for (const v of actor.variables)
      expect(
        tf.tidy(() => tf.norm(grads[v.name]!).dataSync()[0]!),
        v.name,
      ).toBeGreaterThan(0);
    tf.dispose([s, h, grads]);
    actor.dispose();
  });
});
