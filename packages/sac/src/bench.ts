/**
 * Updates per second of the SAC agent at the reference sizes (state 18, action 24, hidden 256,
 * T = 5, batch 256), the workload of shared/bench/dmsac_reference.py.
 * Usage: node dist/bench.js [--backend wasm|cpu|tensorflow|auto] [--seconds 5] [--json]
 */

import { createNoise } from '@diffcontract/diffusion-actor';
import * as tf from '@tensorflow/tfjs';
import type { ActorFactory } from './actor.js';
import { createSacAgent } from './agent.js';
import { type BackendName, setBackend } from './backend.js';
import { diffusionActorFactory, gaussianActorFactory } from './builtins.js';
import { allocateBatch } from './replay.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const seconds = Number(opt('seconds', '5'));
const S = 18;
const A = 24;
const B = 256;

/**
 * Calls per second of wall time, and per second of this process's CPU time: on a shared machine the
 * second is the steadier figure (other processes stretch wall time, not our CPU time).
 */
function rate(fn: () => void, secs: number): { wall: number; cpu: number } {
  for (let i = 0; i < 3; i++) fn();
  let n = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (performance.now() - t0 < secs * 1000) {
    fn();
    n += 1;
  }
  const c = process.cpuUsage(c0);
  return { wall: n / ((performance.now() - t0) / 1000), cpu: n / ((c.user + c.system) / 1e6) };
}

const fmt = (r: { wall: number; cpu: number }, scale = 1) =>
  `${(r.wall * scale).toFixed(2)}/s wall, ${(r.cpu * scale).toFixed(2)}/s per CPU-second`;

async function main(): Promise<void> {
  const info = await setBackend(opt('backend', 'wasm') as BackendName);
  const rng = createNoise(0);
  const batch = allocateBatch(B, S, A);
  for (let i = 0; i < B * S; i++) batch.states[i] = rng.nextFloat();
  for (let i = 0; i < B * A; i++) batch.actions[i] = 2 * rng.nextFloat() - 1;
  rng.fill(batch.rewards);
  // The reference workload's actor loss has no entropy term and no boundary penalty.
  const cases: [string, ActorFactory, Record<string, unknown>, Record<string, unknown>][] = [
    [
      'diffusion, no entropy term (reference workload)',
      diffusionActorFactory,
      { initialAlpha: 0, autoTemperature: false },
      { boundaryPenalty: 0 },
    ],
    ['diffusion, kNN entropy + auto temperature (training default)', diffusionActorFactory, {}, {}],
    ['gaussian', gaussianActorFactory, {}, {}],
  ];
  const results: Record<string, { wall: number; cpu: number }> = {};
  for (const [name, factory, sacOptions, actorOptions] of cases) {
    const agent = createSacAgent(
      sacOptions,
      factory.create({ stateDim: S, actionDim: A, seed: 0 }, actorOptions),
    );
    agent.update(batch);
    agent.metrics();
    const before = tf.memory().numTensors;
    const ups = rate(() => agent.update(batch), seconds);
    agent.metrics(); // one readback, so queued work (if any backend defers it) is included
    const leaked = tf.memory().numTensors - before;
    results[name] = ups;
    console.log(`${name}: updates ${fmt(ups)} (tensors leaked: ${leaked})`);
    agent.dispose();
  }
  const actor = diffusionActorFactory.create({ stateDim: S, actionDim: A, seed: 0 });
  const one = batch.states.subarray(0, S);
  const noise = createNoise(1);
  const gen1 = rate(() => actor.act(one, noise), seconds / 2);
  const genB = rate(() => actor.act(batch.states, noise), seconds / 2);
  console.log(`diffusion generate, one state at a time: ${fmt(gen1)}`);
  console.log(`diffusion generate, batches of ${B}: ${fmt(genB, B)}`);
  actor.dispose();
  if (args.includes('--json')) {
    console.log(
      JSON.stringify({
        backend: info.name,
        threads: info.threads ?? 1,
        updatesPerSec: results,
        generatePerSec: gen1,
        generateBatchPerSec: { wall: genB.wall * B, cpu: genB.cpu * B },
      }),
    );
  }
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
