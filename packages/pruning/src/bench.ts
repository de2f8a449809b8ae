/**
 * Benchmark: one denoising chain (T = 5 steps, `actorDenoise`) of the diffusion actor on plain typed arrays, dense vs
 * compacted at several pruning ratios, on the tests' reference chain (test-chain.ts) and the actor's
 * schedule. Run with `pnpm --filter @diffcontract/pruning bench` (from the sources, with tsx).
 * Weights are random (seeded); speed does not depend on their values.
 */
import { vpSchedule } from '@diffcontract/diffusion-actor/inference';
import { compactNetwork } from './compact.js';
import { magnitudeScores } from './importance.js';
import { lowestMask, prunedCount } from './schedule.js';
import { diffusionActorNetwork } from './test-actor.js';
import { actorDenoise } from './test-chain.js';
import { rng } from './test-helpers.js';
import type { PrunableNetwork } from './types.js';

const STATE_DIM = 18; // K = 3
const ACTION_DIM = 24;
const STEPS = 5;
const BATCH = 100; // one evaluation set of contracts
const REPEATS = 5;

/** Uniform in [-0.5, 0.5) from the tests' seeded stream. */
function seeded(seed: number): () => number {
  const next = rng(seed);
  return () => next() - 0.5;
}

function fill(array: Float32Array, next: () => number, scale: number): Float32Array {
  for (let i = 0; i < array.length; i++) array[i] = next() * scale;
  return array;
}

const SCHEDULE = vpSchedule({ steps: STEPS });

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
