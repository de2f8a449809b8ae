import { type Contract, cloudUtility, type ExactContract, toFloatContract } from '@diffcontract/env';
import type { Highs } from 'highs';
import { type OptimumOptions, resolveOptions } from './config.js';
import { exactlyFeasiblePoint } from './feasible-point.js';
import { gridOf, toExactContract } from './finalize.js';
import { highsRuntime } from './highs.js';
import { type AnyMarket, type MarketPair, marketPair } from './market.js';
import { OuterApproximation, type OuterState } from './outer.js';
import { pointUtility, polish } from './polish.js';
import { type RatMarket, ratMarket } from './rational.js';

export interface OptimumResult {
  /** the optimal contract as floats; equal to exactContract whenever its values lie on the grid */
  contract: Contract<number>;
  /** the same contract in exact rationals: feasible with no tolerance for the market as given */
  exactContract: ExactContract;
  /** U of the returned contract (N included): the lower bound */
  cloudUtility: number;
  /** cloudUtility / N */
  perES: number;
  /** N times the last LP value: an upper bound on U* (up to LP tolerances) */
  upperBound: number;
  /** (upperBound - cloudUtility) / |upperBound| */
  gap: number;
  /** LP solves of the outer approximation */
  iterations: number;
  /** whether rewards and q lie on the 2^-gridBits grid (then contract equals exactContract) */
  onGrid: boolean;
}

/**
 * The optimal contract of model.md section 5 with a proven gap. Loads HiGHS on first use.
 * `market` may be floats or exact rationals; the exact contract is feasible for it as given.
 */
export async function solveOptimum(
  market: AnyMarket,
  options?: Partial<OptimumOptions>,
): Promise<OptimumResult> {
  return solveOptimumWith(await highsRuntime(), market, options);
}

export function solveOptimumWith(
  highs: Highs,
  market: AnyMarket,
  options?: Partial<OptimumOptions>,
): OptimumResult {
  const config = resolveOptions(options);
  const pair = marketPair(market);
  const N = pair.float.esCount;
  const outer = new OuterApproximation(highs, pair.float, config.lpTolerance);
  const qm = ratMarket(pair.exact);
  try {
    let best: OptimumResult | null = null;
    while (outer.iterations < config.maxIterations) {
      const state = outer.solve();
      const scale = Math.max(Math.abs(state.upper), Number.MIN_VALUE);
      const points: Point[] = [{ x: state.x, reward: state.reward }];
      let lower = state.lower;
      if ((state.upper - state.lower) / scale <= POLISH_BELOW) {
        const polished = polish({
          market: pair.float,
          items: outer.items,
          rows: outer.rows,
          xMax: outer.xMax,
          x: state.x,
          reward: state.reward,
        });
        if (polished !== null) {
          // Tangents at the polished point make the next LP's bound tight where the optimum is.
          outer.addCuts(polished.x);
          points.unshift(polished);
          lower = Math.max(lower, pointUtility(pair.float, outer.items, polished.x, polished.reward));
        }
      }
      const last = outer.iterations === config.maxIterations;
      if ((state.upper - lower) / scale <= config.gapTolerance / 2 || last) {
        const result = bestFeasible(highs, pair, qm, state, points, config);
        if (result !== null && (best === null || result.cloudUtility > best.cloudUtility)) best = result;
        if (best !== null) {
          best.upperBound = Math.min(best.upperBound, N * state.upper);
          best.gap = relativeGap(best.upperBound, best.cloudUtility);
          best.iterations = outer.iterations;
          if (best.gap <= config.gapTolerance) return best;
        }
      }
      outer.refine(state, (config.gapTolerance * scale) / (64 * outer.items.length));
    }
    if (best !== null) return best;
    throw new Error(
      `optimum: no exactly feasible contract after ${outer.iterations} LPs (market K = ${pair.float.theta.length})`,
    );
  } finally {
    outer.dispose();
  }
}

/**
 * Relative model gap below which the LP's binding set is used for a Newton polish: from the first
 * LP on in practice. A face that is still wrong only costs a useless candidate point and a few
 * valid cuts; a right one makes the next LP bound tight (about half the LPs of cuts alone).
 */
const POLISH_BELOW = 1;

interface Point {
  x: number[];
  reward: number[];
}

function relativeGap(upper: number, lower: number): number {
  // Clamped at 0: an LP value a rounding error below the exact utility is not a negative gap.
  return Math.max(0, (upper - lower) / Math.max(Math.abs(upper), Number.MIN_VALUE));
}

/** The best exactly feasible contract next to one of the points (polished first). */
function bestFeasible(
  highs: Highs,
  pair: MarketPair,
  qm: RatMarket,
  state: OuterState,
  points: Point[],
  config: OptimumOptions,
): OptimumResult | null {
  const { float } = pair;
  let best: OptimumResult | null = null;
  for (const point of points) {
    const made = exactlyFeasiblePoint(highs, float, qm, point, {
      lpTolerance: config.lpTolerance,
      grid: gridOf(config.gridBits),
    });
    if (made === null) continue;
    const exactContract = toExactContract(float.theta.length, made);
    const contract = toFloatContract(exactContract);
    const utility = cloudUtility(float, contract);
    if (best !== null && utility <= best.cloudUtility) continue;
    const upperBound = float.esCount * state.upper;
    best = {
      contract,
      exactContract,
      cloudUtility: utility,
      perES: utility / float.esCount,
      upperBound,
      gap: relativeGap(upperBound, utility),
      iterations: 0,
      onGrid: made.onGrid,
    };
    // The polished point comes first; the raw LP point is only a fallback.
    if (best.gap <= config.gapTolerance) break;
  }
  return best;
}
