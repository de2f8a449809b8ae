/** The time embedding of the noise-prediction network (shared by the tfjs actor and ActorInference). */

/**
 * Sinusoidal embedding of the integer step index t (0-based, as the PyTorch reference passes it):
 * [sin(t f_0), ..., sin(t f_{h-1}), cos(t f_0), ..., cos(t f_{h-1})], f_k = exp(-k ln(10000) / (h - 1)),
 * h = dim / 2. Returns [steps, dim] row-major.
 */
export function sinusoidalEmbedding(steps: number, dim: number): Float32Array {
  const half = dim / 2;
  const out = new Float32Array(steps * dim);
  for (let t = 0; t < steps; t++) {
    for (let k = 0; k < half; k++) {
      const e = t * Math.exp(-k * (Math.log(10000) / (half - 1)));
      out[t * dim + k] = Math.sin(e);
      out[t * dim + half + k] = Math.cos(e);
    }
  }
  return out;
}
