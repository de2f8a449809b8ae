import type * as tf from '@tensorflow/tfjs';

/** Reads a float32 tensor into a fresh Float32Array the caller owns, then frees the tensor. */
export function readAndDispose(t: tf.Tensor): Float32Array {
  // slice(): on the cpu backend dataSync returns the tensor's own storage.
  const out = (t.dataSync() as Float32Array).slice();
  t.dispose();
  return out;
}
