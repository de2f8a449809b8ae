import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import { ddpmStep } from './ddpm.js';
import { hostKind } from './nn/host.js';
import { useTestBackend } from './test-backend.js';

await useTestBackend();

const c = { sqrtRecipAlphaBar: 1.7, sqrtRecipM1AlphaBar: 1.2, c1: 0.4, c2: 0.55 };

/** The step written with plain tfjs ops (autodiff gives the reference gradient). */
function plain(x: tf.Tensor, eps: tf.Tensor, z: tf.Tensor | null): tf.Tensor {
  const x0 = tf.clipByValue(
    tf.sub(tf.mul(x, c.sqrtRecipAlphaBar), tf.mul(eps, c.sqrtRecipM1AlphaBar)),
    -1,
    1,
  );
  const next = tf.add(tf.mul(x0, c.c1), tf.mul(x, c.c2));
  return z ? tf.add(next, z) : next;
}

describe('ddpmStep', () => {
  test('runs the fused kernel on this backend', () => {
    expect(hostKind()).not.toBeNull();
  });

  test.each([true, false])('value and gradients equal the plain-op formula (noise: %s)', (withNoise) => {
    // Values straddle the clip: raw = 1.7 x - 1.2 eps lands inside and outside [-1, 1].
    const x = tf.tensor2d([-2, -0.5, 0, 0.3, 0.9, 2.5], [2, 3]);
    const eps = tf.tensor2d([0.1, -0.4, 1.5, 0.2, -1, 0.7], [2, 3]);
    const z = withNoise ? tf.tensor2d([0.01, -0.02, 0.03, 0.04, -0.05, 0.06], [2, 3]) : null;
    const dy = tf.tensor2d([1, -2, 0.5, 3, -1, 2], [2, 3]);
    const fused = tf.grads((a, b) =>
      tf.mul(ddpmStep(a as tf.Tensor2D, b as tf.Tensor2D, z as tf.Tensor2D | null, c), dy),
    )([x, eps]);
    const ref = tf.grads((a, b) => tf.mul(plain(a, b, z), dy))([x, eps]);
    const value = ddpmStep(x, eps, z as tf.Tensor2D | null, c).dataSync();
    const wantValue = plain(x, eps, z).dataSync();
    value.forEach((v, k) => {
      expect(v).toBeCloseTo(wantValue[k]!, 6);
    });
    fused.forEach((g, i) => {
      const want = ref[i]!.dataSync();
      g.dataSync().forEach((v, k) => {
        expect(v).toBeCloseTo(want[k]!, 5);
      });
    });
  });
});
