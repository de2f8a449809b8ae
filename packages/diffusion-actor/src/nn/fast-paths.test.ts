/**
 * The wasm fast paths against the reference paths (tfjs ops and the JS kernels) on the same backend:
 * same values and same gradients to float32 tolerance, for every option combination of linear() and
 * for the whole actor (sampling, gradients through the chain, act()).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, test } from 'vitest';
import { DiffusionActor } from '../actor.js';
import { useTestBackend } from '../test-backend.js';
import { profileWasmKernels } from '../wasm/tfjs-kernels.js';
import { setFastKernels } from './fast.js';
import { linear } from './layers.js';
import { createNoise } from './noise.js';

await useTestBackend();
const onWasm = tf.getBackend() === 'wasm';

afterAll(() => setFastKernels(true));

/** Runs `f` with the fast paths on and off; returns both results as plain arrays. */
function both<T>(f: () => T): { fast: T; ref: T } {
  setFastKernels(true);
  const fast = f();
  setFastKernels(false);
  const ref = f();
  setFastKernels(true);
  return { fast, ref };
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
  }
  return diff / Math.max(scale, 1e-6);
}

// Small output widths take the explicit-transpose dx path, wide ones the dot-product kernel (gemmNT);
// wide inputs (K >= 128) take the transposed-x path for dW.
describe.skipIf(!onWasm).each([
  [6, 5, 7],
  [5, 40, 36],
  [3, 130, 9],
])('linear() with B = %i, K = %i, N = %i: fast kernels equal the reference path', (B, K, N) => {
  const x = tf.randomNormal([B, K], 0, 2, 'float32', 1) as tf.Tensor2D;
  const w = tf.randomNormal([K, N], 0, 1, 'float32', 2) as tf.Tensor2D;
  const bias = tf.randomNormal([N], 0, 1, 'float32', 3) as tf.Tensor1D;
  const dy = tf.randomNormal([B, N], 0, 1, 'float32', 4) as tf.Tensor2D;
  const offsets: Record<string, tf.Tensor | null> = {
    none: null,
    'per row': tf.randomNormal([B, N], 0, 1, 'float32', 5),
    '[N]': tf.randomNormal([N], 0, 1, 'float32', 6),
    '[1, N]': tf.randomNormal([1, N], 0, 1, 'float32', 7),
  };
  const cases: [string, boolean, boolean, boolean, boolean][] = [];
  for (const name of Object.keys(offsets))
    for (const mish of [false, true])
      for (const withBias of [false, true])
        for (const [gi, gw] of [
          [true, true],
          [true, false],
          [false, true],
        ] as const)
          cases.push([name, mish, withBias, gi, gw]);

  test.each(cases)(
    'offset %s, mish %s, bias %s, gradInput %s, gradWeights %s',
    (name, mish, withBias, gi, gw) => {
      const off = offsets[name]!;
      const run = () =>
        tf.tidy(() => {
          const wrt = [
            ...(gi ? [x] : []),
            ...(gw ? [w, ...(withBias ? [bias] : [])] : []),
            ...(off ? [off] : []),
          ];
          const f = (...xs: tf.Tensor[]) => {
            void xs;
            return tf.sum(
              tf.mul(
                linear(x, w, withBias ? bias : null, { mish, offset: off, gradInput: gi, gradWeights: gw }),
                dy,
              ),
            );
          };
          const value = linear(x, w, withBias ? bias : null, {
            mish,
            offset: off,
            gradInput: gi,
            gradWeights: gw,
          });
          const grads = tf.grads(f)(wrt);
          return [value, ...grads].map((t) => Array.from(t.dataSync()));
        });
      const { fast, ref } = both(run);
      expect(fast.length).toBe(ref.length);
      fast.forEach((v, i) => {
        expect(maxRelDiff(v, ref[i]!)).toBeLessThan(1e-5);
      });
    },
  );

  test.runIf(B === 6)(
    'a tfjs-wasm Identity that shares storage keeps values and frees memory by reference',
    () => {
      setFastKernels(true);
      tf.tidy(() => linear(tf.tensor2d([[1]]), tf.tensor2d([[1]]), null)); // registers the fast kernels
      const before = (tf.memory() as { numDataBuffers: number }).numDataBuffers;
      const a = tf.tensor1d([1, 2, 3]);
      const c = tf.clone(a);
      expect((tf.memory() as { numDataBuffers: number }).numDataBuffers).toBe(before + 1); // one buffer for both
      a.dispose();
      expect(Array.from(c.dataSync())).toEqual([1, 2, 3]);
      c.dispose();
      expect((tf.memory() as { numDataBuffers: number }).numDataBuffers).toBe(before);
    },
  );
});

test.skipIf(!onWasm)('profileWasmKernels counts the module functions a layer runs', () => {
  setFastKernels(true);
  let ticks = 0;
  profileWasmKernels(true, () => ticks++);
  tf.tidy(() => linear(tf.ones([4, 3]) as tf.Tensor2D, tf.ones([3, 5]) as tf.Tensor2D, null, { mish: true }));
  const times = profileWasmKernels(false)!;
  expect(times.gemm?.calls).toBe(1);
  expect(times.epilogue?.calls).toBe(1);
  expect(ticks).toBe(4); // two readings per call
  expect(profileWasmKernels(false)).toBeNull();
});

describe.skipIf(!onWasm)('the diffusion actor: fast kernels equal the reference path', () => {
  const S = 18;
  const A = 24;
  const B = 32;
  const actor = new DiffusionActor({ stateDim: S, actionDim: A, seed: 3 });
  const rng = createNoise(9);
  const states = Float32Array.from({ length: B * S }, () => rng.nextFloat());

  test('sampled actions and the gradients of every variable through the whole chain', () => {
    const run = () =>
      tf.tidy(() => {
        const s = tf.tensor2d(states, [B, S]);
        const { value, grads } = tf.variableGrads(
          () => tf.mean(tf.square(actor.sample(s, createNoise(5)).actions)) as tf.Scalar,
          actor.variables as tf.Variable[],
        );
        return [
          Array.from(value.dataSync()),
          ...actor.variables.map((v) => Array.from(grads[v.name]!.dataSync())),
        ];
      });
    const { fast, ref } = both(run);
    expect(fast.length).toBe(actor.variables.length + 1);
    fast.forEach((v, i) => {
      expect(maxRelDiff(v, ref[i]!)).toBeLessThan(1e-4);
    });
  });

  test('act() in batches and one state at a time, stochastic and deterministic', () => {
    for (const count of [1, B]) {
      for (const deterministic of [false, true]) {
        const { fast, ref } = both(() =>
          actor.act(states.subarray(0, count * S), createNoise(11), deterministic),
        );
        expect(maxRelDiff(fast, ref)).toBeLessThan(1e-5);
      }
    }
  });
});
