/**
 * Benchmark (a script, not a test): markets solved per second for K = 3 and K = 5, and repairs per
 * second of random contracts (almost never implementable, so the nearest-allocation path runs)
 * and of already-optimal contracts (the keep-q path). Run with `pnpm --filter
 * @diffcontract/optimum bench` after `pnpm build`. Seeds are fixed; timings are wall clock.
 */
import {
  type Contract,
  type ExactContract,
  type Market,
  sampleMarkets,
  toExactContract,
  toExactMarket,
} from '@diffcontract/env';
import { highsRuntime } from './highs.js';
import { repairContractWith } from './repair.js';
import { solveOptimumWith } from './solve.js';

const SEED = 20_240_601;

function randomContract(market: Market<number>, next: () => number): Contract<number> {
  const K = market.theta.length;
  const rewardMax = market.beta * Math.log1p(market.qMax);
  const item = () => ({ q: next() * market.qMax, reward: next() * rewardMax });
  return {
    period1: Array.from({ length: K }, item),
    period2: Array.from({ length: K }, () => Array.from({ length: K }, item)),
  };
}

function lcg(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

function summary(label: string, times: number[], extra = ''): void {
  const sorted = [...times].sort((a, b) => a - b);
  const total = times.reduce((s, t) => s + t, 0);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(
    `${label.padEnd(30)} ${(1000 / (total / times.length)).toFixed(1).padStart(7)} /s   ` +
      `median ${median.toFixed(2)} ms   max ${sorted.at(-1)!.toFixed(2)} ms   n = ${times.length}${extra}`,
  );
}

async function main(): Promise<void> {
  const highs = await highsRuntime();
  // Warm-up: wasm functions are compiled lazily on first use.
  for (const m of sampleMarkets(SEED + 1, 5)) solveOptimumWith(highs, m);

  const optima = new Map<number, { market: Market<number>; contract: ExactContract }[]>();
  for (const [K, count] of [
    [3, 100],
    [5, 40],
  ] as const) {
    const markets = sampleMarkets(SEED + K, count, { K });
    const times: number[] = [];
    let worstGap = 0;
    let maxIterations = 0;
    const solved: { market: Market<number>; contract: ExactContract }[] = [];
    for (const market of markets) {
      const start = performance.now();
      const result = solveOptimumWith(highs, market);
      times.push(performance.now() - start);
      worstGap = Math.max(worstGap, result.gap);
      maxIterations = Math.max(maxIterations, result.iterations);
      solved.push({ market, contract: result.exactContract });
    }
    optima.set(K, solved);
    summary(`solve K = ${K}`, times, `   worst gap ${worstGap.toExponential(2)}   max LPs ${maxIterations}`);
  }

  for (const K of [3, 5]) {
    const next = lcg(SEED + 10 * K);
    const markets = sampleMarkets(SEED + 100 + K, K === 3 ? 100 : 40, { K });
    const times: number[] = [];
    let changed = 0;
    for (const market of markets) {
      const exactMarket = toExactMarket(market);
      const contract = toExactContract(randomContract(market, next));
      const start = performance.now();
      const result = repairContractWith(highs, exactMarket, contract);
      times.push(performance.now() - start);
      if (result.changedAllocation) changed++;
    }
    summary(`repair random K = ${K}`, times, `   allocation changed ${changed}/${times.length}`);
    const keepTimes: number[] = [];
    for (const { market, contract } of optima.get(K)!) {
      const exactMarket = toExactMarket(market);
      const start = performance.now();
      repairContractWith(highs, exactMarket, contract);
      keepTimes.push(performance.now() - start);
    }
    summary(`repair optimal K = ${K}`, keepTimes);
  }
}

await main();
