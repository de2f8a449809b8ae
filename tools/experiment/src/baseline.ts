/**
 * Baselines that need no training, evaluated in-process the way the training app evaluates a policy
 * (apps/train/src/evaluate.ts, restated here because tools do not import app internals): the market's
 * shortest-decimal exact form, the contract decoded from a float32 action, raw utility, violation and
 * exact feasibility, then exact repair, the repaired contract's utility and a z3 certificate.
 *
 * - random contract: every action entry uniform in [-1, 1] (a fresh stream per seed);
 * - exact optimum: U/U* = 1 by definition; its U* per market is reported (and matches the runs' U*).
 */
import { checkContract } from '@diffcontract/contract-checker';
import {
  actionDim,
  cloudUtility,
  decodeAction,
  evaluationSet,
  isFeasibleExact,
  toDecimalContract,
  toDecimalMarket,
  toFloatContract,
  violation,
} from '@diffcontract/env';
import { repairContract, solveOptimum } from '@diffcontract/optimum';
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

/** The random contract on the first `count` evaluation markets, for one seed. */
export async function evaluateRandomContract(
  seed: number,
  optimum: readonly MarketOptimum[],
  options: { certify: boolean; certifyTimeoutMs?: number },
): Promise<BaselineSummary> {
  const markets = evaluationSet().slice(0, optimum.length);
  const A = actionDim(markets[0]!.theta.length);
  const actions = randomActions(seed, markets.length, A);
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
    const raw = decodeAction(market, actions.subarray(i * A, (i + 1) * A));
    const rawExact = toDecimalContract(raw);
    ratioRaw += cloudUtility(market, raw) / uStar;
    viol += violation(market, raw);
    if (isFeasibleExact(exact, rawExact)) feasRaw++;
    const repair = await repairContract(exact, rawExact);
    const repaired = cloudUtility(market, toFloatContract(repair.contract)) / uStar;
    ratioRep += repaired;
    repairedRatios.push(repaired);
    if (isFeasibleExact(exact, repair.contract)) feasRep++;
    if (options.certify) {
      const cert = await checkContract(exact, repair.contract, {
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
