import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Market } from './types.js';
import { validateMarket } from './validate.js';

/** The training distribution of model.md section 6; every field documents its default. */
export interface SamplerConfig {
  /** number of types; default 3 */
  K: number;
  /** theta_k ~ U[lo, hi) before sorting; default [0.2, 1.0] */
  thetaRange: readonly [number, number];
  /** smallest gap between adjacent sorted thetas; default 0.05 */
  minThetaGap: number;
  /** smallest prior entry (prior ~ Dirichlet(1,...,1) conditioned on it); default 0.05 */
  minPrior: number;
  /** persistence rho of P[i] = rho e_i + (1 - rho) Dirichlet(1,...,1), rho ~ U[lo, hi); default [0.3, 0.9] */
  rhoRange: readonly [number, number];
  /** default [0.5, 2] */
  aRange: readonly [number, number];
  /** default [5, 15] */
  betaRange: readonly [number, number];
  /** default [0.5, 1] */
  deltaRange: readonly [number, number];
  /** default 10 */
  qMax: number;
  /** default 10 */
  esCount: number;
}

export const DEFAULT_SAMPLER_CONFIG: Readonly<SamplerConfig> = Object.freeze<SamplerConfig>({
  K: 3,
  thetaRange: [0.2, 1.0],
  minThetaGap: 0.05,
  minPrior: 0.05,
  rhoRange: [0.3, 0.9],
  aRange: [0.5, 2],
  betaRange: [5, 15],
  deltaRange: [0.5, 1],
  qMax: 10,
  esCount: 10,
});

export interface SamplerOptions extends Partial<SamplerConfig> {
  /** fixed values replacing sampled ones in every market (e.g. `{delta: 0}` for static markets) */
  overrides?: Partial<Market<number>>;
}

export interface MarketSampler {
  readonly config: Readonly<SamplerConfig>;
  next(): Market<number>;
}

/** Seed of the evaluation set; never use it for training. */
export const EVALUATION_SEED = 0x5eed_e7a1;
export const EVALUATION_SET_SIZE = 100;

function checkConfig(c: SamplerConfig): void {
  const bad = (what: string) => {
    throw new RangeError(`sampler config: ${what}`);
  };
  if (!Number.isSafeInteger(c.K) || c.K < 1) bad(`K must be an integer >= 1 (${c.K})`);
  const [lo, hi] = c.thetaRange;
  if (!(lo > 0 && hi > lo)) bad(`thetaRange must satisfy 0 < lo < hi (${lo}, ${hi})`);
  if (!((c.K - 1) * c.minThetaGap < hi - lo))
    bad(`K = ${c.K} thetas with gaps >= ${c.minThetaGap} do not fit`);
  if (!(c.minPrior >= 0 && c.K * c.minPrior < 1)) bad(`K = ${c.K} priors >= ${c.minPrior} do not fit`);
}

/**
 * A seeded market sampler (xoroshiro128+). Draw order per market: theta, prior, then for each row
 * rho and its Dirichlet, then a, beta, delta.
 *
 * The two rejection rules of model.md section 6 are sampled exactly without rejection loops:
 * sorted U[lo, hi) draws conditioned on gaps >= g have the law of sorted U[lo, hi - (K-1) g) draws
 * with (k g) added to the k-th (a volume-preserving bijection of the two ordered regions), and
 * Dirichlet(1,...,1) conditioned on entries >= m is m + (1 - K m) Dirichlet(1,...,1) (uniform on a
 * scaled simplex). Same distribution, a fixed number of draws per market, and any K that fits.
 */
export function createMarketSampler(seed: number, options: SamplerOptions = {}): MarketSampler {
  const { overrides, ...rest } = options;
  const config: SamplerConfig = { ...DEFAULT_SAMPLER_CONFIG, ...rest };
  if (overrides?.theta) config.K = overrides.theta.length;
  checkConfig(config);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`sampler seed must be a safe integer (${seed})`);
  const rng = xoroshiro128plus(seed);
  const uniform = (range: readonly [number, number]) =>
    range[0] + (range[1] - range[0]) * uniformFloat64(rng);
  const dirichlet = (K: number): number[] => {
    // Normalised Exp(1) draws; 1 - u lies in (0, 1] so the log is finite.
    const e = Array.from({ length: K }, () => -Math.log(1 - uniformFloat64(rng)));
    const sum = e.reduce((s, x) => s + x, 0);
    return e.map((x) => x / sum);
  };
  const { K } = config;

  const next = (): Market<number> => {
    const [lo, hi] = config.thetaRange;
    const gap = config.minThetaGap;
    const shrunk: readonly [number, number] = [lo, hi - (K - 1) * gap];
    const theta = Array.from({ length: K }, () => uniform(shrunk))
      .sort((x, y) => x - y)
      .map((x, k) => x + k * gap);
    const m = config.minPrior;
    const prior = dirichlet(K).map((p) => m + (1 - K * m) * p);
    const transition: number[][] = [];
    for (let i = 0; i < K; i++) {
      const rho = uniform(config.rhoRange);
      transition.push(dirichlet(K).map((p, j) => (j === i ? rho : 0) + (1 - rho) * p));
    }
    const market: Market<number> = {
      theta,
      prior,
      transition,
      a: uniform(config.aRange),
      beta: uniform(config.betaRange),
      delta: uniform(config.deltaRange),
      qMax: config.qMax,
      esCount: config.esCount,
    };
    if (!overrides) return market;
    const result = { ...market, ...structuredClone(overrides) };
    validateMarket(result);
    return result;
  };
  return { config: Object.freeze({ ...config }), next };
}

/** n markets from a fresh sampler with this seed. */
export function sampleMarkets(seed: number, n: number, options?: SamplerOptions): Market<number>[] {
  const sampler = createMarketSampler(seed, options);
  return Array.from({ length: n }, () => sampler.next());
}

let evaluationCache: Market<number>[] | undefined;

/**
 * The fixed evaluation set (model.md section 6): 100 markets of the default distribution drawn with
 * EVALUATION_SEED. Regenerated identically on every machine; each call returns a fresh deep copy.
 */
export function evaluationSet(): Market<number>[] {
  evaluationCache ??= sampleMarkets(EVALUATION_SEED, EVALUATION_SET_SIZE);
  return structuredClone(evaluationCache);
}
