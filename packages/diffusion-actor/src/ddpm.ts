/**
 * One reverse DDPM step as a single kernel:
 *   x0   = clip(sqrt(1/ab) x - sqrt(1/ab - 1) eps, -1, 1)
 *   next = c1 x0 + c2 x + z          (z = sigma * noise, absent at the last step)
 * On wasm/cpu one JS pass computes `next` and both local derivatives (the clip passes the gradient
 * where its argument lies in [-1, 1], as tf.clipByValue does); the backward pass is two multiplies.
 * Elsewhere it is the same formula in tfjs ops.
 */
import * as tf from '@tensorflow/tfjs';
import { useWasmKernels } from './nn/fast.js';
import { hostKind, registerHostKernel, runHostKernel } from './nn/host.js';
import { withGrad } from './nn/layers.js';
import type { StepCoefficients } from './schedule.js';
import { DDPM_STEP_KERNEL } from './wasm/tfjs-kernels.js';

const STEP_KERNEL = 'DiffcontractDdpmStep';
registerHostKernel(STEP_KERNEL, 3, (inputs, [next, gx, ge], attrs) => {
  const [x, eps, z] = inputs as [Float32Array, Float32Array, Float32Array | undefined];
  const { sr, srm1, c1, c2 } = attrs as { sr: number; srm1: number; c1: number; c2: number };
  const passX = c2 + c1 * sr;
  const passE = -c1 * srm1;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const raw = sr * xi - srm1 * eps[i]!;
    const inside = raw >= -1 && raw <= 1;
    const x0 = inside ? raw : raw > 1 ? 1 : -1;
    next![i] = c1 * x0 + c2 * xi + (z ? z[i]! : 0);
    gx![i] = inside ? passX : c2;
    ge![i] = inside ? passE : 0;
  }
});

function stepOps(x: tf.Tensor2D, eps: tf.Tensor2D, z: tf.Tensor2D | null, c: StepCoefficients): tf.Tensor2D {
  const x0 = tf.clipByValue(
    tf.sub(tf.mul(x, c.sqrtRecipAlphaBar), tf.mul(eps, c.sqrtRecipM1AlphaBar)),
    -1,
    1,
  );
  const next = tf.add(tf.mul(x0, c.c1), tf.mul(x, c.c2));
  return (z ? tf.add(next, z) : next) as tf.Tensor2D;
}

/** Differentiable in x and eps; z is noise (no gradient). */
export function ddpmStep(
  x: tf.Tensor2D,
  eps: tf.Tensor2D,
  z: tf.Tensor2D | null,
  c: StepCoefficients,
): tf.Tensor2D {
  if (hostKind() === null) return stepOps(x, eps, z, c);
  // On wasm the same kernel runs as a SIMD loop in the module of wasm/ (else a JS loop).
  const kernel = useWasmKernels() ? DDPM_STEP_KERNEL : STEP_KERNEL;
  const attrs = { sr: c.sqrtRecipAlphaBar, srm1: c.sqrtRecipM1AlphaBar, c1: c.c1, c2: c.c2 };
  const f = withGrad<(a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D>(
    (a: tf.Tensor2D, b: tf.Tensor2D, save: tf.GradSaveFunc) => {
      const [next, gx, ge] = runHostKernel(kernel, z ? [a, b, z] : [a, b], attrs);
      save([gx!, ge!]);
      return { value: next!, gradFunc: (dy, saved) => [tf.mul(dy, saved[0]!), tf.mul(dy, saved[1]!)] };
    },
  );
  return f(x, eps);
}
