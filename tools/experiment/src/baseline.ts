/**
 * Baselines that need no training, evaluated in-process the way the training app evaluates a policy
 * (apps/train/src/evaluate.ts, restated here because tools do not import app internals): the market's
 * shortest-decimal exact form, the float contract of a float32 action, raw utility, violation and
 * exact feasibility, then the delivered contract (allocation formulation: the exact cheapest rewards
 * for the allocation, or the nearest implementable one; contract formulation: exact repair), its
 * utility and a z3 certificate.
 *
 * - random allocation: every allocation action entry uniform in [-1, 1] (a fresh stream per seed),
 *   priced as a policy's allocation is;
 * - random contract: every contract action entry uniform in [-1, 1], repaired as a policy's contract is;
 * - exact optimum: U/U* = 1 by definition; its U* per market is reported (and matches the runs' U*).
 */
import { checkContract } from '@diffcontract/contract-checker';
import {
  type ActionFormulation,
  actionDim,
  allocationActionDim,
  allocationOf,
  cloudUtility,
  contractOfAction,
  evaluationSet,
  isFeasibleExact,
  toDecimalContract,
  toDecimalMarket,
  toFloatContract,
  violation,
} from '@diffcontract/env';
import { priceAllocationExact, repairContract, solveOptimum } from '@diffcontract/optimum';
import type { EvalFigures } from './aggregate.js';
import { median, uniformStream } from './stats.js';

/** Summary in the fields of a run's eval.json summary. */
export interface BaselineSummary extends EvalFigures {
  seed: number;
}

/** `count * dim` float32 actions, each uniform in [-1, 1), from the seed's own stream. */
export function randomActions(seed: number, count: number, dim: number): Float32Array {
  const next = uniformStream(seed ^ 0x7a3d_1c55);
  const out = new Float32Array(count * dim);
  for (let i = 0; i < out.length; i++) out[i] = 2 * next() - 1;
  return out;
}

export interface MarketOptimum {
  uStar: number;
  gap: number;
}

/** U* of the first `count` evaluation markets (solved exactly, as each run does once). */
export async function optimumOfEvaluationSet(count: number): Promise<MarketOptimum[]> {
  const out: MarketOptimum[] = [];
  for (const market of evaluationSet().slice(0, count)) {
    const r = await solveOptimum(toDecimalMarket(market));
    out.push({ uStar: r.cloudUtility, gap: r.gap });
  }
  return out;
}

/** Penalty lambda of the float pricing (the training app's default). */
const PENALTY = 5;

/**
 * A random policy on the first `count` evaluation markets, for one seed: a uniform action in the
 * formulation's action space, delivered as a learned policy's action is.
 */
export async function evaluateRandomPolicy(
  formulation: ActionFormulation,
  seed: number,
  optimum: readonly MarketOptimum[],
  options: { certify: boolean; certifyTimeoutMs?: number },
): Promise<BaselineSummary> {
  const markets = evaluationSet().slice(0, optimum.length);
  const K = markets[0]!.theta.length;
  const A = formulation === 'allocation' ? allocationActionDim(K) : actionDim(K);
  // The contract formulation keeps the stream it always had; the allocation one gets its own.
  const actions = randomActions(formulation === 'allocation' ? seed ^ 0x51ed_a110 : seed, markets.length, A);
  let ratioRaw = 0;
  let ratioRep = 0;
  const repairedRatios: number[] = [];
  let viol = 0;
  let feasRaw = 0;
  let feasRep = 0;
  let certified = 0;
  for (let i = 0; i < markets.length; i++) {
    const market = markets[i]!;
    const exact = toDecimalMarket(market);
    const uStar = optimum[i]!.uStar;
    const raw = contractOfAction(market, actions.subarray(i * A, (i + 1) * A), formulation, {
      penalty: PENALTY,
    });
    const rawExact = toDecimalContract(raw);
    ratioRaw += cloudUtility(market, raw) / uStar;
    viol += violation(market, raw);
    if (isFeasibleExact(exact, rawExact)) feasRaw++;
    const delivered =
      formulation === 'allocation'
        ? (await priceAllocationExact(exact, allocationOf(rawExact))).contract
        : (await repairContract(exact, rawExact)).contract;
    const repaired = cloudUtility(market, toFloatContract(delivered)) / uStar;
    ratioRep += repaired;
    repairedRatios.push(repaired);
    if (isFeasibleExact(exact, delivered)) feasRep++;
    if (options.certify) {
      const cert = await checkContract(exact, delivered, {
        timeoutMs: options.certifyTimeoutMs ?? 10_000,
      });
      if (cert.verdict === 'certified') certified++;
    }
  }
  const n = markets.length;
  return {
    seed,
    markets: n,
    meanRatioRaw: ratioRaw / n,
    meanRatioRepaired: ratioRep / n,
    medianRatioRepaired: median(repairedRatios),
    meanViolationRaw: viol / n,
    feasibleShareRaw: feasRaw / n,
    feasibleShareRepaired: feasRep / n,
    certifiedShare: options.certify ? certified / n : null,
  };
}
