/**
 * Benchmark: one denoising chain (T = 5 steps, `actorDenoise`) of the diffusion actor on plain typed arrays, dense vs
 * compacted at several pruning ratios. Run with `pnpm --filter @diffcontract/pruning bench`.
 * Weights are random (seeded); speed does not depend on their values.
 */
import { actorDenoise, type ReverseSchedule } from './chain.js';
import { compactNetwork } from './compact.js';
import { magnitudeScores } from './importance.js';
import { lowestMask, prunedCount } from './schedule.js';
import { diffusionActorNetwork } from './topology.js';
import type { PrunableNetwork } from './types.js';

const STATE_DIM = 18; // K = 3
const ACTION_DIM = 24;
const STEPS = 5;
const BATCH = 100; // one evaluation set of contracts
const REPEATS = 5;

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

function fill(array: Float32Array, next: () => number, scale: number): Float32Array {
  for (let i = 0; i < array.length; i++) array[i] = next() * scale;
  return array;
}

/** VP schedule of model.md section 7 (b_min 0.1, b_max 10), the fields actorDenoise reads. */
function vpSchedule(T: number): ReverseSchedule {
  const f = () => new Float64Array(T);
  const s = {
    steps: T,
    sqrtRecipAlphaBar: f(),
    sqrtRecipM1AlphaBar: f(),
    posteriorVariance: f(),
    posteriorC1: f(),
    posteriorC2: f(),
  };
  let prod = 1;
  for (let i = 0; i < T; i++) {
    const alpha = Math.exp(-0.1 / T - (9.9 * (2 * (i + 1) - 1)) / (2 * T * T));
    const prev = prod;
    prod *= alpha;
    s.sqrtRecipAlphaBar[i] = Math.sqrt(1 / prod);
    s.sqrtRecipM1AlphaBar[i] = Math.sqrt(1 / prod - 1);
    s.posteriorVariance[i] = ((1 - alpha) * (1 - prev)) / (1 - prod);
    s.posteriorC1[i] = ((1 - alpha) * Math.sqrt(prev)) / (1 - prod);
    s.posteriorC2[i] = ((1 - prev) * Math.sqrt(alpha)) / (1 - prod);
  }
  return s;
}

const SCHEDULE = vpSchedule(STEPS);

/** Milliseconds per generated contract (median of REPEATS chains of T steps on BATCH states). */
function timeChain(net: PrunableNetwork, next: () => number): number {
  const state = fill(new Float32Array(BATCH * STATE_DIM), next, 2);
  const tEmb = fill(new Float32Array(STEPS * 16), next, 1);
  const noise = { normals: (n: number) => fill(new Float32Array(n), next, 2) };
  const samples: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const start = performance.now();
    actorDenoise(net, SCHEDULE, tEmb, state, BATCH, noise);
    samples.push((performance.now() - start) / BATCH);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

const next = seeded(2024);
const dense = diffusionActorNetwork({ stateDim: STATE_DIM, actionDim: ACTION_DIM });
for (const layer of dense.layers) {
  fill(layer.kernel, next, 2 / Math.sqrt(layer.inDim));
  fill(layer.bias, next, 0.2);
}
const scores = magnitudeScores(dense);
const variants = [0, 0.1, 0.3, 0.5].map((rho) => {
  const masks = scores.map((s) => lowestMask(s, prunedCount(rho, s.length)));
  return { rho, ...compactNetwork(dense, masks), times: [] as number[] };
});
// rounds over all variants so JIT warm-up and machine load hit them alike
for (let round = 0; round < 5; round++) {
  for (const v of variants) {
    const ms = timeChain(v.network, next);
    if (round > 0) v.times.push(ms);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const denseMs = median(variants[0]!.times);
console.log(
  `diffusion actor, K = 3 (S = ${STATE_DIM}, A = ${ACTION_DIM}), T = ${STEPS}, batch ${BATCH}, plain-JS forward`,
);
console.log('rho   FLOPs/step  params   ms/contract  speedup  FLOP ratio');
for (const v of variants) {
  const ms = median(v.times);
  console.log(
    `${v.rho.toFixed(1)}   ${String(v.flops.after).padStart(9)}  ${String(v.parameters.after).padStart(6)}   ${ms.toFixed(4).padStart(10)}  ${(denseMs / ms).toFixed(2).padStart(6)}x  ${(v.flops.before / v.flops.after).toFixed(2).padStart(6)}x`,
  );
}
