/**
 * Dense layers with hand-written gradients.
 *
 * tfjs derives the gradient of matMul with transpose flags (dx = dy W^T via matMul(dy, W, false,
 * true)), and the wasm backend runs flagged matMuls about 12-15x slower than an explicit
 * tf.transpose followed by a plain matMul (measured in bench/matmul.ts). tf.customGrad lets us use
 * the explicit form, and also lets one layer be one tape entry (fused matMul + bias + Mish) instead
 * of four or five.
 */
import * as tf from '@tensorflow/tfjs';

type GradResult = { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] };

/** tf.customGrad with a typed signature (tfjs types the forward function as variadic tensors). */
export function withGrad<F>(forward: (...args: never[]) => GradResult): F {
  return tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as F;
}

/** y = x W + b with explicit-transpose gradients. */
export const dense = withGrad<(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D>(
  (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    save([x, w]);
    return {
      value: tf.fused.matMul({ a: x, b: w, bias: b }),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
        const dy2 = dy as tf.Tensor2D;
        return [tf.matMul(dy2, tf.transpose(sw)), tf.matMul(tf.transpose(sx), dy2), tf.sum(dy2, 0)];
      },
    };
  },
);

/** Mish(z) = z tanh(softplus(z)), and its derivative factor given z and tanh(softplus(z)). */
function mishParts(z: tf.Tensor): { y: tf.Tensor; tsp: tf.Tensor } {
  const tsp = tf.tanh(tf.softplus(z));
  return { y: tf.mul(z, tsp), tsp };
}

function mishDerivative(z: tf.Tensor, tsp: tf.Tensor): tf.Tensor {
  // d/dz z tanh(sp(z)) = tsp + z (1 - tsp^2) sigmoid(z)
  return tf.add(tsp, tf.mul(tf.mul(z, tf.sub(1, tf.square(tsp))), tf.sigmoid(z)));
}

/** Mish activation with a hand-written gradient (one tape entry). */
export const mish = withGrad<(z: tf.Tensor) => tf.Tensor>((z: tf.Tensor, save: tf.GradSaveFunc) => {
  const { y, tsp } = mishParts(z);
  save([z, tsp]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, mishDerivative(saved[0]!, saved[1]!))],
  };
});

/** y = Mish(x W + b) as one layer with explicit-transpose gradients. */
export const denseMish = withGrad<(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D>(
  (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const z = tf.fused.matMul({ a: x, b: w, bias: b });
    const { y, tsp } = mishParts(z);
    save([x, w, z, tsp]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw, sz, stsp] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const dz = tf.mul(dy, mishDerivative(sz, stsp)) as tf.Tensor2D;
        return [tf.matMul(dz, tf.transpose(sw)), tf.matMul(tf.transpose(sx), dz), tf.sum(dz, 0)];
      },
    };
  },
);
