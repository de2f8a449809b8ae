/**
 * The VP noise schedule of model.md section 7 and the DDPM posterior coefficients derived from it,
 * computed in float64 (as the PyTorch reference does) and stored as float32 where the net uses them.
 *
 * alpha_t = exp(-b_min / T - (b_max - b_min) (2t - 1) / (2 T^2)), beta_t = 1 - alpha_t, t = 1..T.
 * Arrays are indexed by i = t - 1 (0 = the last, least noisy step).
 */
import type { NoiseSource } from './nn/noise.js';

export interface VpSchedule {
  steps: number;
  alphas: Float64Array;
  betas: Float64Array;
  /** cumulative products alpha-bar_t */
  alphaBars: Float64Array;
  /** alpha-bar_{t-1} (1 for t = 1) */
  alphaBarsPrev: Float64Array;
  /** sqrt(1 / alpha-bar_t): x0 = sqrtRecipAlphaBar x_t - sqrtRecipM1AlphaBar eps */
  sqrtRecipAlphaBar: Float64Array;
  sqrtRecipM1AlphaBar: Float64Array;
  /** posterior q(x_{t-1} | x_t, x0) = N(c1 x0 + c2 x_t, posteriorVariance) */
  posteriorVariance: Float64Array;
  posteriorC1: Float64Array;
  posteriorC2: Float64Array;
}

export interface ScheduleOptions {
  steps: number;
  betaMin?: number;
  betaMax?: number;
}

export function vpSchedule({ steps: T, betaMin = 0.1, betaMax = 10 }: ScheduleOptions): VpSchedule {
  if (!Number.isInteger(T) || T < 1) throw new Error(`diffusion.steps: must be an integer >= 1 (${T})`);
  const f = () => new Float64Array(T);
  const s: VpSchedule = {
    steps: T,
    alphas: f(),
    betas: f(),
    alphaBars: f(),
    alphaBarsPrev: f(),
    sqrtRecipAlphaBar: f(),
    sqrtRecipM1AlphaBar: f(),
    posteriorVariance: f(),
    posteriorC1: f(),
    posteriorC2: f(),
  };
  let prod = 1;
  for (let i = 0; i < T; i++) {
    const t = i + 1;
    const alpha = Math.exp(-betaMin / T - ((betaMax - betaMin) * (2 * t - 1)) / (2 * T * T));
    const beta = 1 - alpha;
    const prev = prod;
    prod *= alpha;
    s.alphas[i] = alpha;
    s.betas[i] = beta;
    s.alphaBars[i] = prod;
    s.alphaBarsPrev[i] = prev;
    s.sqrtRecipAlphaBar[i] = Math.sqrt(1 / prod);
    s.sqrtRecipM1AlphaBar[i] = Math.sqrt(1 / prod - 1);
    s.posteriorVariance[i] = (beta * (1 - prev)) / (1 - prod);
    s.posteriorC1[i] = (beta * Math.sqrt(prev)) / (1 - prod);
    s.posteriorC2[i] = ((1 - prev) * Math.sqrt(alpha)) / (1 - prod);
  }
  return s;
}

/** One reverse step's constants: x0 = clip(sqrtRecipAlphaBar x - sqrtRecipM1AlphaBar eps), next = c1 x0 + c2 x (+ z). */
export interface StepCoefficients {
  sqrtRecipAlphaBar: number;
  sqrtRecipM1AlphaBar: number;
  c1: number;
  c2: number;
}

export interface ReverseStep extends StepCoefficients {
  /** posterior standard deviation of z (0 at the last step, i = 0, which adds no noise) */
  sigma: number;
}

/**
 * The reverse chain's constants per step i (0 = last), the one definition that training (the
 * tfjs actor) and inference (the wasm forward pass) both run.
 */
export function reverseSteps(s: VpSchedule): ReverseStep[] {
  return Array.from({ length: s.steps }, (_, i) => ({
    sqrtRecipAlphaBar: s.sqrtRecipAlphaBar[i]!,
    sqrtRecipM1AlphaBar: s.sqrtRecipM1AlphaBar[i]!,
    c1: s.posteriorC1[i]!,
    c2: s.posteriorC2[i]!,
    sigma: i > 0 ? Math.sqrt(Math.max(s.posteriorVariance[i]!, 1e-20)) : 0,
  }));
}

/**
 * The noise of one chain over n values: x_T, then z of the stochastic steps T-1 .. 1 already scaled
 * by their sigma, drawn from `noise` in one call of n (1 + #stochastic) values in that order (the
 * order every implementation must keep, so one seed gives one contract); zeros without a source.
 */
export function chainNoise(
  steps: readonly ReverseStep[],
  n: number,
  noise: NoiseSource | null,
): Float32Array {
  const stochastic = steps.filter((s) => s.sigma > 0).length;
  const values = noise ? noise.normals(n * (1 + stochastic)) : new Float32Array(n * (1 + stochastic));
  let k = 1;
  for (let i = steps.length - 1; i >= 0; i--) {
    const sigma = steps[i]!.sigma;
    if (sigma === 0) continue;
    const part = values.subarray(k * n, (k + 1) * n);
    for (let j = 0; j < n; j++) part[j]! *= sigma;
    k += 1;
  }
  return values;
}
