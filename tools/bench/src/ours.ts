// Our side of the bench: exactly the workload of reference/dmsac_reference.py (critic step on target r,
// actor step through the whole denoising chain with no entropy term, soft target updates) at the
// sizes given on the command line. Prints one JSON line with the reference's field names.
// DIFFCONTRACT_FAST_KERNELS=0 runs the reference paths of our packages (tfjs ops, JS kernels).
import { createNoise, fastKernelsEnabled } from '@diffcontract/diffusion-actor';
import { actionDim, stateDim } from '@diffcontract/env';
import {
  allocateBatch,
  type BackendName,
  createSacAgent,
  diffusionActorFactory,
  setBackend,
} from '@diffcontract/sac';
import { Command } from 'commander';

/**
 * Calls per second after a warm-up of at least three calls and half a second: V8 first runs
 * WebAssembly in its baseline compiler and switches to optimised code once that is compiled in the
 * background (slower on a loaded machine); the figures are for the steady state a training run sees.
 */
function rate(fn: () => void, seconds: number): number {
  const w0 = performance.now();
  for (let i = 0; i < 3 || performance.now() - w0 < 500; i++) fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    fn();
    n += 1;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const o = new Command('ours')
    .option('--hidden <n>', '', '256')
    .option('--steps <n>', '', '5')
    .option('--batch <n>', '', '256')
    .option('--seconds <s>', '', '4')
    .option('--types <k>', '', '3')
    .option('--backend <name>', '', 'wasm')
    .option('--only-updates', 'skip the generation figures (scaling runs)')
    .parse(process.argv.slice(2), { from: 'user' })
    .opts();
  const K = +o.types;
  const S = stateDim(K);
  const A = actionDim(K);
  const H = +o.hidden;
  const B = +o.batch;
  const info = await setBackend(o.backend as BackendName);
  const rng = createNoise(0);
  const batch = allocateBatch(B, S, A);
  for (let i = 0; i < B * S; i++) batch.states[i] = rng.nextFloat();
  for (let i = 0; i < B * A; i++) batch.actions[i] = 2 * rng.nextFloat() - 1;
  rng.fill(batch.rewards);
  // The reference's actor loss is -min(Q1, Q2) alone: no boundary penalty (our default adds one).
  const actor = diffusionActorFactory.create(
    { stateDim: S, actionDim: A, seed: 0 },
    { hidden: [H, H], steps: +o.steps, boundaryPenalty: 0 },
  );
  const agent = createSacAgent(
    { batchSize: B, criticHidden: [H, H], initialAlpha: 0, autoTemperature: false },
    actor,
  );
  const noise = createNoise(1);
  const one = batch.states.subarray(0, S);
  // act() is the default fast path: the chain in WebAssembly without tfjs (ActorInference).
  const generatePerSec = o.onlyUpdates ? Number.NaN : rate(() => agent.actor.act(one, noise), +o.seconds / 2);
  const generateBatchPerSec = o.onlyUpdates
    ? Number.NaN
    : rate(() => agent.actor.act(batch.states, noise), +o.seconds / 2) * B;
  const updatesPerSec = rate(() => agent.update(batch), +o.seconds);
  agent.metrics();
  agent.dispose();
  process.stdout.write(
    `${JSON.stringify({
      impl: 'diffcontract',
      backend: info.name,
      fastKernels: fastKernelsEnabled(),
      hidden: H,
      steps: +o.steps,
      batch: B,
      updatesPerSec: +updatesPerSec.toFixed(2),
      generatePerSec: +generatePerSec.toFixed(1),
      generateBatchPerSec: +generateBatchPerSec.toFixed(1),
    })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`ours: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(4);
});
