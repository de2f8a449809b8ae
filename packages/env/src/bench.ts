/**
 * Throughput of contract evaluation: the batched evaluator (training hot path) against the object
 * path (decode to objects, then cloudUtility / violation), and exact feasibility checks.
 * Run: pnpm --filter @diffcontract/env build && pnpm --filter @diffcontract/env bench
 */
import { BatchEvaluator } from './batch.js';
import { actionDim, contractReward, decodeAction, decodeState, encodeState, stateDim } from './encoding.js';
import { toExactContract, toExactMarket } from './exact.js';
import { isFeasibleExact } from './model.js';
import { sampleMarkets } from './sampler.js';

const K = Number(process.env.BENCH_K ?? 3);
const rows = 4096;
const minSeconds = 1;

function rate(label: string, perCall: number, call: () => void): number {
  call(); // warm-up (JIT)
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minSeconds) {
    call();
    calls++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  const perSecond = (calls * perCall) / elapsed;
  console.log(
    `${label.padEnd(34)} ${Math.round(perSecond).toLocaleString('en-US').padStart(14)} contracts/s`,
  );
  return perSecond;
}

const markets = sampleMarkets(1, rows, { K });
const states = new Float32Array(rows * stateDim(K));
markets.forEach((m, b) => {
  encodeState(m, states, b * stateDim(K));
});
const actions = new Float32Array(rows * actionDim(K)).map((_, k) => Math.sin(12.9898 * k));
const evaluator = new BatchEvaluator(K, { capacity: rows });

console.log(`K = ${K}, ${rows} (state, action) rows per call, node ${process.version}`);
let sink = 0;
const batched = rate('batched (BatchEvaluator)', rows, () => {
  sink += evaluator.evaluate(states, actions).reward[rows - 1]!;
});
const objects = rate('object path (decode + reward)', rows, () => {
  for (let b = 0; b < rows; b++) {
    const m = decodeState(states, K, b * stateDim(K));
    sink += contractReward(m, decodeAction(m, actions, b * actionDim(K)));
  }
});
const exactRows = 256;
const exact = Array.from({ length: exactRows }, (_, b) => {
  const m = decodeState(states, K, b * stateDim(K));
  return [toExactMarket(m), toExactContract(decodeAction(m, actions, b * actionDim(K)))] as const;
});
rate('exact feasibility (isFeasibleExact)', exactRows, () => {
  for (const [m, c] of exact) sink += isFeasibleExact(m, c) ? 1 : 0;
});
console.log(`batched / object path speed-up: ${(batched / objects).toFixed(1)}x`);
if (Number.isNaN(sink)) console.log('(unreachable: keeps the work observable)');
