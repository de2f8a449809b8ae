/**
 * Small-sample statistics for seed-level results: mean, sample standard deviation (n - 1), Student-t
 * confidence intervals and a seeded paired bootstrap. Seeds are the unit of replication: each run's
 * number is one observation, never each market.
 */
import { uniformStream } from '@diffcontract/env';

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (divisor n - 1); 0 for a single value, NaN for none. */
export function std(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  if (xs.length === 1) return 0;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom (standard tables). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/**
 * t_{0.975, df}: the table up to 30 degrees of freedom, beyond it the Cornish-Fisher expansion around
 * z = 1.959964 (error below 1e-3 there).
 */
export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1)
    throw new RangeError(`degrees of freedom must be a positive integer (${df})`);
  if (df <= T975.length) return T975[df - 1]!;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

export interface Interval {
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

/** 95% Student-t interval for the mean; with fewer than 2 values the bounds are NaN. */
export function tInterval(xs: readonly number[]): Interval {
  const m = mean(xs);
  if (xs.length < 2) return { mean: m, lo: Number.NaN, hi: Number.NaN, n: xs.length };
  const half = (tQuantile975(xs.length - 1) * std(xs)) / Math.sqrt(xs.length);
  return { mean: m, lo: m - half, hi: m + half, n: xs.length };
}

/** The seeded uniform stream (env's mulberry32) of resampling and the random baselines. */
export { uniformStream };

/** Linear-interpolation quantile (type 7, as R and numpy default) of sorted values. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Relative difference of paired samples, (mean(a) - mean(b)) / |mean(b)|, with a 95% percentile
 * bootstrap interval: resample the pairs (seeds) with replacement, `resamples` times, from a fixed
 * seed so the interval is reproducible. Pairs keep a seed's two runs together, which removes the
 * market-sampling noise the two algorithms share.
 */
export function pairedRelativeBootstrap(
  a: readonly number[],
  b: readonly number[],
  resamples = 10_000,
  seed = 1,
): Interval {
  if (a.length !== b.length)
    throw new RangeError(`paired samples differ in length (${a.length} vs ${b.length})`);
  const n = a.length;
  const rel = (ia: readonly number[]) => {
    let sa = 0;
    let sb = 0;
    for (const i of ia) {
      sa += a[i]!;
      sb += b[i]!;
    }
    return (sa - sb) / Math.abs(sb);
  };
  const all = Array.from({ length: n }, (_, i) => i);
  const point = rel(all);
  if (n < 2) return { mean: point, lo: Number.NaN, hi: Number.NaN, n };
  const next = uniformStream(seed);
  const stats: number[] = [];
  const idx = new Array<number>(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) idx[i] = Math.floor(next() * n);
    const v = rel(idx);
    if (Number.isFinite(v)) stats.push(v);
  }
  stats.sort((x, y) => x - y);
  return { mean: point, lo: quantileSorted(stats, 0.025), hi: quantileSorted(stats, 0.975), n };
}

/** Median of values (NaN for none). */
export function median(xs: readonly number[]): number {
  return quantileSorted(
    [...xs].sort((x, y) => x - y),
    0.5,
  );
}
