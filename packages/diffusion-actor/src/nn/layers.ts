/**
 * Dense layers with hand-written gradients.
 *
 * tfjs derives the gradient of matMul with transpose flags (dx = dy W^T via matMul(dy, W, false,
 * true)), and the wasm backend runs flagged matMuls 10-15x slower than an explicit tf.transpose
 * followed by a plain matMul (bench: `node dist/bench.js`). tf.customGrad lets us use the explicit
 * form, make one layer one tape entry (fused matMul + bias + Mish), and skip gradients nobody needs:
 * tfjs computes every input gradient a customGrad returns, so a layer whose weights are frozen for
 * this step (the critic inside the actor loss) or whose input is data (states) says so and those
 * matMuls never run.
 */
import * as tf from '@tensorflow/tfjs';
import {
  LINEAR_GRAD_KERNEL,
  LINEAR_KERNEL,
  type LinearAttrs,
  type LinearGradAttrs,
} from '../wasm/tfjs-kernels.js';
import { useWasmKernels } from './fast.js';
import { mishWithDerivative } from './fastmath.js';
import { hostKind, registerHostKernel, runHostKernel } from './host.js';

type GradResult = { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] };

/** tf.customGrad with a typed signature (tfjs types the forward function as variadic tensors). */
export function withGrad<F>(forward: (...args: never[]) => GradResult): F {
  return tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as F;
}

const MISH_KERNEL = 'DiffcontractMishWithDerivative';
registerHostKernel(MISH_KERNEL, 2, ([z], [y, d]) => mishWithDerivative(z!, y!, d!));

/**
 * Mish(z) = z tanh(softplus(z)) and its derivative, not recorded on the tape. On wasm/cpu one JS
 * pass computes both; elsewhere tfjs ops do.
 */
export function mishForward(z: tf.Tensor): { y: tf.Tensor; d: tf.Tensor } {
  if (hostKind() !== null) {
    const [y, d] = runHostKernel(MISH_KERNEL, [z]);
    return { y: y!, d: d! };
  }
  return tf.tidy(() => {
    const t = tf.tanh(tf.softplus(z));
    // d/dz z tanh(sp(z)) = t + z (1 - t^2) sigmoid(z)
    return { y: tf.mul(z, t), d: tf.add(t, tf.mul(tf.mul(z, tf.sub(1, tf.square(t))), tf.sigmoid(z))) };
  });
}

/** Mish activation with a hand-written gradient (one tape entry). */
export const mish = withGrad<(z: tf.Tensor) => tf.Tensor>((z: tf.Tensor, save: tf.GradSaveFunc) => {
  const { y, d } = mishForward(z);
  save([d]);
  return { value: y, gradFunc: (dy, saved) => [tf.mul(dy, saved[0]!)] };
});

export interface LinearOptions {
  /** apply Mish after the affine map */
  mish?: boolean;
  /** added to x W + b before the activation; [B, units] or broadcastable; receives a gradient */
  offset?: tf.Tensor | null;
  /** compute the gradient with respect to x (false when x is data) */
  gradInput?: boolean;
  /** compute gradients with respect to w and b (false when the layer is frozen for this loss) */
  gradWeights?: boolean;
}

/**
 * act(x W + b + offset) with explicit-transpose gradients for exactly the inputs that need them.
 * `b` may be null (no bias).
 */
export function linear(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D | null,
  options: LinearOptions = {},
): tf.Tensor2D {
  if (useWasmKernels()) return linearWasm(x, w, b, options);
  const { mish: act = false, offset = null, gradInput = true, gradWeights = true } = options;
  const inputs: tf.Tensor[] = [];
  if (gradInput) inputs.push(x);
  if (gradWeights) inputs.push(w);
  if (gradWeights && b) inputs.push(b);
  if (offset) inputs.push(offset);
  const affine = () => {
    const z = b ? tf.fused.matMul({ a: x, b: w, bias: b }) : tf.matMul(x, w);
    return offset ? tf.add(z, offset) : z;
  };
  if (inputs.length === 0) {
    // Nothing upstream needs a gradient: plain forward.
    return (act ? mishForward(affine()).y : affine()) as tf.Tensor2D;
  }
  // Tensors the gradient needs must go through save(): tfjs disposes every other intermediate of the
  // forward pass before backpropagation. Weights are Variables, which tidy never frees.
  const f = withGrad<(...xs: tf.Tensor[]) => tf.Tensor2D>((...args: never[]) => {
    const save = args[args.length - 1] as unknown as tf.GradSaveFunc;
    const z = affine();
    let y: tf.Tensor = z;
    let d: tf.Tensor | null = null;
    if (act) {
      const m = mishForward(z);
      y = m.y;
      d = m.d;
    }
    save([gradWeights ? x : tf.zeros([0]), d ?? tf.zeros([0])]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sd] = saved as [tf.Tensor2D, tf.Tensor];
        const dz = (act ? tf.mul(dy, sd) : dy) as tf.Tensor2D;
        const grads: tf.Tensor[] = [];
        if (gradInput) grads.push(tf.matMul(dz, tf.transpose(w)));
        if (gradWeights) grads.push(tf.matMul(tf.transpose(sx), dz));
        if (gradWeights && b) grads.push(tf.sum(dz, 0));
        if (offset) grads.push(sumToShape(dz, offset.shape));
        return grads;
      },
    };
  });
  return f(...inputs);
}

/**
 * linear() on the wasm fast kernels: one DcLinear launch forward and one DcLinearGrad launch backward
 * (tfjs-kernels.ts), computing exactly the gradients the options ask for.
 */
function linearWasm(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D | null,
  options: LinearOptions,
): tf.Tensor2D {
  const { mish: act = false, offset = null, gradInput = true, gradWeights = true } = options;
  const batch = x.shape[0];
  // An offset with one row per batch row gets dz as its gradient; any other shape broadcasts over rows.
  const offRows = offset ? (offset.rank === 2 && offset.shape[0] === batch && batch > 1 ? batch : 1) : 0;
  const named = (withD: boolean) => {
    const ins: Record<string, tf.Tensor> = { x, w };
    if (b) ins.b = b;
    if (offset) ins.off = offset;
    const attrs: LinearAttrs = { mish: act, offRows, withD };
    return tf.engine().runKernel(LINEAR_KERNEL, ins, attrs as unknown as tf.NamedAttrMap) as
      | tf.Tensor
      | tf.Tensor[];
  };
  const inputs: tf.Tensor[] = [];
  if (gradInput) inputs.push(x);
  if (gradWeights) inputs.push(w);
  if (gradWeights && b) inputs.push(b);
  if (offset) inputs.push(offset);
  if (inputs.length === 0) return named(false) as tf.Tensor2D;
  const f = withGrad<(...xs: tf.Tensor[]) => tf.Tensor2D>((...args: never[]) => {
    const save = args[args.length - 1] as unknown as tf.GradSaveFunc;
    const out = named(act);
    const [y, d] = Array.isArray(out) ? out : [out];
    const toSave: tf.Tensor[] = [];
    if (gradWeights) toSave.push(x);
    if (d) toSave.push(d);
    save(toSave);
    return {
      value: y!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const ins: Record<string, tf.Tensor> = { dy };
        let k = 0;
        if (gradWeights) ins.x = saved[k++]!;
        if (act) ins.d = saved[k++]!;
        if (gradInput) ins.w = w;
        const attrs: LinearGradAttrs = {
          mish: act,
          gradInput,
          gradWeights,
          hasBias: b !== null,
          offRows,
          inDim: x.shape[1],
        };
        const res = tf.engine().runKernel(LINEAR_GRAD_KERNEL, ins, attrs as unknown as tf.NamedAttrMap);
        const grads = Array.isArray(res) ? (res as tf.Tensor[]) : [res as tf.Tensor];
        if (offset && offRows === 1 && offset.rank !== 1) {
          grads[grads.length - 1] = tf.reshape(grads[grads.length - 1]!, offset.shape);
        }
        return grads;
      },
    };
  });
  return f(...inputs);
}

/** Reduces a broadcast gradient back to `shape` (only leading-axis broadcasting occurs here). */
function sumToShape(g: tf.Tensor2D, shape: number[]): tf.Tensor {
  if (shape.length === 2 && shape[0] === g.shape[0]) return g;
  return tf.reshape(tf.sum(g, 0), shape);
}

/** y = x W + b with explicit-transpose gradients. */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return linear(x, w, b);
}

/** y = Mish(x W + b) as one layer with explicit-transpose gradients. */
export function denseMish(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return linear(x, w, b, { mish: true });
}
