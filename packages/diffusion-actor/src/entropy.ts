/**
 * Kozachenko-Leonenko nearest-neighbour entropy estimate, differentiable in the samples.
 *
 * For M i.i.d. samples of a d-dimensional density with r_i the Euclidean distance from sample i to
 * its nearest other sample,
 *   H ~= psi(M) - psi(1) + log V_d + (d / M) sum_i log r_i,   V_d = pi^{d/2} / Gamma(d/2 + 1).
 * It is consistent as M grows; for small M in high dimension it is biased (measured in
 * entropy.test.ts and quoted in the README) but its dependence on the samples is exact under
 * translation and scaling (H(cX) = H(X) + d log c), which is what the temperature controller and the
 * entropy bonus need: a signal that grows when the policy spreads its actions.
 */
import * as tf from '@tensorflow/tfjs';

/** psi(M) - psi(1) = 1 + 1/2 + ... + 1/(M - 1) */
function harmonic(n: number): number {
  let h = 0;
  for (let k = 1; k <= n; k++) h += 1 / k;
  return h;
}

/** log Gamma(x) for x a positive multiple of 1/2 (exact recurrence from Gamma(1) or Gamma(1/2)). */
function logGammaHalfInteger(x: number): number {
  let base = Number.isInteger(x) ? 1 : 0.5;
  let acc = Number.isInteger(x) ? 0 : 0.5 * Math.log(Math.PI);
  while (base < x - 1e-9) {
    acc += Math.log(base);
    base += 1;
  }
  return acc;
}

/** log of the volume of the unit ball in d dimensions. */
export function logUnitBallVolume(d: number): number {
  return (d / 2) * Math.log(Math.PI) - logGammaHalfInteger(d / 2 + 1);
}

/** The additive constant psi(M) - psi(1) + log V_d of the estimator. */
export function knnEntropyConstant(m: number, d: number): number {
  return harmonic(m - 1) + logUnitBallVolume(d);
}

/**
 * Mean over groups of the 1-NN entropy estimate; `samples` is [G, M, d] (M samples of each of G
 * distributions). Squared distances are floored at `floor` so coincident samples give a large
 * negative, finite value instead of -Infinity.
 */
export function knnEntropy(samples: tf.Tensor3D, floor = 1e-12): tf.Scalar {
  const [, m, d] = samples.shape;
  if (m < 2) throw new Error(`knnEntropy: need at least 2 samples per group (${m})`);
  return tf.tidy(() => {
    const diff = tf.sub(tf.expandDims(samples, 2), tf.expandDims(samples, 1));
    const d2 = tf.sum(tf.square(diff), -1);
    // Exclude self-distances (exactly 0 on the diagonal) by pushing them far away.
    const self = tf.mul(tf.eye(m), 1e9);
    const nearest = tf.min(tf.add(d2, self), -1);
    const logR = tf.mul(tf.log(tf.maximum(nearest, floor)), 0.5);
    return tf.add(tf.mul(tf.mean(logR), d), knnEntropyConstant(m, d)) as tf.Scalar;
  });
}
