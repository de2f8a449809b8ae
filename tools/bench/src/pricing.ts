/**
 * The pricing layer's throughput (model.md section 6.1), one core, all figures from one process:
 *   pricing          markets priced per second by env's AllocationPricer (value, rewards, duals), and
 *                    with the action-gradient (what an exact-gradient actor step needs)
 *   priced contracts the policy's allocations (an untrained diffusion actor: the time of a forward
 *                    chain does not depend on its weights) plus pricing, noise-free and best of N
 *   exact solver     contracts per second of the exact optimum (outer approximation, HiGHS LPs)
 * Ratios are against the exact solver measured here, on the same markets.
 */
import { createDiffusionActor, createNoise } from '@diffcontract/diffusion-actor';
import {
  AllocationEvaluator,
  allocationActionDim,
  encodeState,
  sampleMarkets,
  stateDim,
} from '@diffcontract/env';
import { solveOptimum } from '@diffcontract/optimum';
import { setBackend } from '@diffcontract/sac';

export interface PricingFigures {
  pricingPerSec: number;
  pricingGradientPerSec: number;
  pivotsPerSolve: number;
  policyPricedPerSec: number;
  bestOfNPerSec: number;
  candidates: number;
  exactPerSec: number;
}

function rate(seconds: number, perCall: number, call: () => void): number {
  call();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    call();
    calls++;
    elapsed = performance.now() - start;
  }
  return (calls * perCall) / (elapsed / 1000);
}

export async function pricingBench(seconds: number, candidates = 16): Promise<PricingFigures> {
  const K = 3;
  const rows = 1024;
  const markets = sampleMarkets(77, rows, { K });
  const S = stateDim(K);
  const A = allocationActionDim(K);
  const states = new Float32Array(rows * S);
  markets.forEach((m, b) => {
    encodeState(m, states, b * S);
  });
  // Allocations spread over the box as a policy early in training proposes them.
  const actions = new Float32Array(rows * A).map((_, k) => 0.9 * Math.sin(12.9898 * k) - 0.3);
  const evaluator = new AllocationEvaluator(K);
  let sink = 0;
  let pivots = 0;
  let solves = 0;
  const pricingPerSec = rate(seconds, rows, () => {
    sink += evaluator.evaluate(states, actions).reward[rows - 1]!;
    pivots += evaluator.lastPivots;
    solves += rows;
  });
  const gradient = new Float32Array(rows * A);
  const pricingGradientPerSec = rate(seconds, rows, () => {
    sink += evaluator.gradient(states, actions, gradient)[0]!;
  });

  await setBackend('wasm');
  const actor = createDiffusionActor({ stateDim: S, actionDim: A, seed: 1 });
  const noise = createNoise(3);
  const batch = 100;
  const policyStates = states.subarray(0, batch * S);
  const policyPricedPerSec = rate(seconds, batch, () => {
    const a = actor.act(policyStates, noise, true);
    sink += evaluator.evaluate(policyStates, a, batch).reward[0]!;
  });
  const bestOfNPerSec = rate(seconds, batch, () => {
    const best = new Float64Array(batch).fill(Number.NEGATIVE_INFINITY);
    for (let c = 0; c < candidates; c++) {
      const a = actor.act(policyStates, noise, c === 0);
      const r = evaluator.evaluate(policyStates, a, batch).reward;
      for (let b = 0; b < batch; b++) best[b] = Math.max(best[b]!, r[b]!);
    }
    sink += best[0]!;
  });
  actor.dispose();

  const exactMarkets = markets.slice(0, 20);
  await solveOptimum(exactMarkets[0]!);
  const start = performance.now();
  for (const m of exactMarkets) sink += (await solveOptimum(m)).cloudUtility;
  const exactPerSec = exactMarkets.length / ((performance.now() - start) / 1000);
  if (sink === 42) console.log('');
  return {
    pricingPerSec,
    pricingGradientPerSec,
    pivotsPerSolve: pivots / solves,
    policyPricedPerSec,
    bestOfNPerSec,
    candidates,
    exactPerSec,
  };
}

export function formatPricing(f: PricingFigures): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const ratio = (x: number) => `${(x / f.exactPerSec).toFixed(0)}x`;
  return [
    '| K = 3, one core | per second | vs the exact solver |',
    '| --- | --- | --- |',
    `| pricing layer: markets priced (value, rewards, duals; ${f.pivotsPerSolve.toFixed(1)} pivots each) | ${n(f.pricingPerSec)} | ${ratio(f.pricingPerSec)} |`,
    `| pricing layer with the action-gradient | ${n(f.pricingGradientPerSec)} | ${ratio(f.pricingGradientPerSec)} |`,
    `| priced contracts: policy (noise-free) + pricing, batches of 100 | ${n(f.policyPricedPerSec)} | ${ratio(f.policyPricedPerSec)} |`,
    `| priced contracts: best of N = ${f.candidates}, batches of 100 | ${n(f.bestOfNPerSec)} | ${ratio(f.bestOfNPerSec)} |`,
    `| exact solver: optimal contracts (reference) | ${f.exactPerSec.toFixed(1)} | 1x |`,
  ].join('\n');
}
