import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import { useTestBackend } from '../test-backend.js';
import { dense, denseMish, mish } from './layers.js';

await useTestBackend();

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

describe('hand-written gradients equal tfjs autodiff of the plain formulas', () => {
  const x = tf.randomNormal([7, 5], 0, 2, 'float32', 1) as tf.Tensor2D;
  const w = tf.randomNormal([5, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
  const b = tf.randomNormal([3], 0, 1, 'float32', 3) as tf.Tensor1D;
  const dy = tf.randomNormal([7, 3], 0, 1, 'float32', 4) as tf.Tensor2D;
  const plainMish = (z: tf.Tensor) => tf.mul(z, tf.tanh(tf.softplus(z)));

  test('mish values: hand-computed at 0, 1, -1', () => {
    const y = mish(tf.tensor1d([0, 1, -1])).dataSync();
    const m = (v: number) => v * Math.tanh(Math.log1p(Math.exp(v)));
    expect(y[0]).toBeCloseTo(0, 6);
    expect(y[1]).toBeCloseTo(m(1), 5);
    expect(y[2]).toBeCloseTo(m(-1), 5);
  });

  test('dense', () => {
    const fast = tf.grads((xx, ww, bb) =>
      tf.mul(dense(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D), dy),
    )([x, w, b]);
    const ref = tf.grads((xx, ww, bb) =>
      tf.mul(tf.add(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D), bb), dy),
    )([x, w, b]);
    fast.forEach((g, i) => {
      expect(maxAbsDiff(g, ref[i]!)).toBeLessThan(1e-5);
    });
    expect(maxAbsDiff(dense(x, w, b), tf.add(tf.matMul(x, w), b))).toBeLessThan(1e-5);
  });

  test('denseMish', () => {
    const fast = tf.grads((xx, ww, bb) =>
      tf.mul(denseMish(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D), dy),
    )([x, w, b]);
    const ref = tf.grads((xx, ww, bb) =>
      tf.mul(plainMish(tf.add(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D), bb)), dy),
    )([x, w, b]);
    fast.forEach((g, i) => {
      expect(maxAbsDiff(g, ref[i]!)).toBeLessThan(1e-4);
    });
  });

  test('mish derivative against central finite differences in float64', () => {
    const zs = [-6, -2.5, -1, -0.3, 0, 0.4, 1.7, 5, 12];
    const g = tf
      .grad((z) => tf.sum(mish(z)))(tf.tensor1d(zs))
      .dataSync();
    const m = (v: number) => v * Math.tanh(Math.log1p(Math.exp(v)));
    zs.forEach((z, i) => {
      const h = 1e-6;
      expect(g[i]).toBeCloseTo((m(z + h) - m(z - h)) / (2 * h), 4);
    });
  });
});
