/**
 * Boundary penalty of the diffusion actor (config `boundaryPenalty`). The chain's last step clamps
 * its predicted x0 to [-1, 1] (and the action is clip(x0, -1, 1)); outside the box neither passes a
 * gradient, so once the critic has pushed x0 past a bound the actor gets no signal to come back and
 * its action stays exactly at the corner. This penalty on the unclamped x0 is zero with zero gradient
 * inside the box and pulls x0 back towards it from outside; the actions themselves are unchanged.
 */
import * as tf from '@tensorflow/tfjs';

/** c * mean over rows of sum over columns of relu(|x0| - 1)^2, for x0 of shape [B, A]. */
export function boundaryPenalty(x0: tf.Tensor2D, c: number): tf.Scalar {
  return tf.tidy(() => {
    const outside = tf.relu(tf.sub(tf.abs(x0), 1));
    return tf.mul(tf.mean(tf.sum(tf.square(outside), 1)), c) as tf.Scalar;
  });
}
