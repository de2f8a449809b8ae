// Where the time of one update goes (`pnpm bench --profile`): the reference workload of ours.ts, with
// every tfjs kernel of the active backend (and every function of our wasm module) wrapped in a timer,
// and the host-side optimizer and Polyak averaging timed on their own. Per-op overhead is what
// remains: tfjs bookkeeping (tape, tidy, tensor tracking, customGrad) and JS glue between kernels.
// All times are CPU time of this process (other processes on a shared machine stretch wall time, not
// this); the timers' own cost (one getrusage per reading) lands in the overhead row.
// Prints one JSON line.
import {
  Adam,
  createNoise,
  fastKernelsEnabled,
  profileWasmKernels,
  softUpdateVariables,
} from '@diffcontract/diffusion-actor';
import { actionDim, stateDim } from '@diffcontract/env';
import { allocateBatch, createSacAgent, diffusionActorFactory, setBackend } from '@diffcontract/sac';
import * as tf from '@tensorflow/tfjs';
import { Command } from 'commander';

/** Category of a kernel name, for the summary. */
export function categoryOf(kernel: string): string {
  if (/MatMul/.test(kernel)) return 'matMul';
  if (kernel === 'DcLinear' || kernel === 'DcLinearGrad') return 'dense layers (GEMM + bias + Mish)';
  // functions of the wasm module inside the Dc kernels (profileWasmKernels)
  if (/^gemm|^transpose$/.test(kernel)) return 'matMul';
  if (kernel === 'epilogue') return 'activations (Mish)';
  if (kernel === 'ddpmStep' || kernel === 'clip') return 'denoising chain (step, clip)';
  if (kernel === 'mul' || kernel === 'colsum') return 'other elementwise and reductions';
  if (/Mish/.test(kernel)) return 'activations (Mish)';
  if (/Ddpm|ClipByValue/.test(kernel)) return 'denoising chain (step, clip)';
  if (/^(Identity|Transpose|Concat|Reshape|Cast|Pack|Unpack|SplitV|Slice|Tile|Fill)$/.test(kernel))
    return 'data movement (copies, transposes, concat)';
  return 'other elementwise and reductions';
}

function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

async function main(): Promise<void> {
  const o = new Command('profile')
    .option('--hidden <n>', '', '256')
    .option('--steps <n>', '', '5')
    .option('--batch <n>', '', '256')
    .option('--updates <n>', '', '20')
    .option('--backend <name>', '', 'wasm')
    .option('--entropy', 'the training default instead: kNN entropy term and automatic temperature')
    .parse(process.argv.slice(2), { from: 'user' })
    .opts();
  const S = stateDim(3);
  const A = actionDim(3);
  const H = +o.hidden;
  const B = +o.batch;
  const U = +o.updates;
  const info = await setBackend(o.backend);
  const rng = createNoise(0);
  const batch = allocateBatch(B, S, A);
  for (let i = 0; i < B * S; i++) batch.states[i] = rng.nextFloat();
  for (let i = 0; i < B * A; i++) batch.actions[i] = 2 * rng.nextFloat() - 1;
  rng.fill(batch.rewards);
  // The reference workload has no boundary penalty; --entropy profiles the training default (with it).
  const actor = diffusionActorFactory.create(
    { stateDim: S, actionDim: A, seed: 0 },
    o.entropy ? { hidden: [H, H], steps: +o.steps } : { hidden: [H, H], steps: +o.steps, boundaryPenalty: 0 },
  );
  const agent = createSacAgent(
    o.entropy
      ? { batchSize: B, criticHidden: [H, H] }
      : { batchSize: B, criticHidden: [H, H], initialAlpha: 0, autoTemperature: false },
    actor,
  );
  for (let i = 0; i < 10; i++) agent.update(batch);

  // 1. plain updates
  const t0 = performance.now();
  let c0 = cpuMs();
  for (let i = 0; i < U; i++) agent.update(batch);
  agent.metrics();
  const wallMs = (performance.now() - t0) / U;
  const cpuPerUpdate = (cpuMs() - c0) / U;

  // 2. the same updates with every kernel timed
  const perKernel = new Map<string, { ms: number; calls: number }>();
  const restore: (() => void)[] = [];
  for (const config of tf.getKernelsForBackend(tf.getBackend())) {
    const original = config.kernelFunc;
    const name = config.kernelName;
    const entry = { ms: 0, calls: 0 };
    perKernel.set(name, entry);
    (config as { kernelFunc: tf.KernelFunc }).kernelFunc = ((args: Parameters<tf.KernelFunc>[0]) => {
      const t = cpuMs();
      const out = original(args);
      entry.ms += cpuMs() - t;
      entry.calls += 1;
      return out;
    }) as tf.KernelFunc;
    restore.push(() => {
      (config as { kernelFunc: tf.KernelFunc }).kernelFunc = original;
    });
  }
  profileWasmKernels(true, cpuMs);
  c0 = cpuMs();
  for (let i = 0; i < U; i++) agent.update(batch);
  agent.metrics();
  const profiledMs = (cpuMs() - c0) / U;
  for (const r of restore) r();
  const inner = profileWasmKernels(false) ?? {};

  // 3. host-side optimizer steps and Polyak averaging of the same variable sets, on their own
  const actorVars = actor.variables as tf.Variable[];
  const target = actor.clone();
  const grads = actorVars.map((v) => tf.keep(tf.randomNormal(v.shape)));
  // Critic parameter shapes: two MLPs [S + A, H, H, 1].
  const criticShapes: [number, number][] = [
    [S + A, H],
    [H, H],
    [H, 1],
  ];
  const cVars = [0, 1].flatMap(() =>
    criticShapes.flatMap(([i, j]) => [
      tf.variable(tf.randomNormal([i, j])),
      tf.variable(tf.randomNormal([j])),
    ]),
  );
  const cTargets = cVars.map((v) => tf.variable(v.clone()));
  const cGrads = cVars.map((v) => tf.keep(tf.randomNormal(v.shape)));
  const optA = new Adam(actorVars, { lr: 1e-4 });
  const optC = new Adam(cVars, { lr: 1e-3 });
  const time = (f: () => void) => {
    f();
    const t = cpuMs();
    for (let i = 0; i < U; i++) f();
    return (cpuMs() - t) / U;
  };
  const adamMs = time(() => {
    optA.apply(grads);
    optC.apply(cGrads);
  });
  const polyakMs = time(() => {
    target.softUpdate(actor, 0.005);
    softUpdateVariables(cTargets, cVars, 0.005);
  });
  target.dispose();

  const kernels = [...perKernel.entries()]
    .filter(([, e]) => e.calls > 0)
    .map(([name, e]) => ({ name, msPerUpdate: e.ms / U, callsPerUpdate: e.calls / U }))
    .sort((a, b) => b.msPerUpdate - a.msPerUpdate);
  const categories: Record<string, number> = {};
  const add = (name: string, ms: number) => {
    categories[name] = (categories[name] ?? 0) + ms;
  };
  for (const k of kernels) add(categoryOf(k.name), k.msPerUpdate);
  const kernelMs = kernels.reduce((s, k) => s + k.msPerUpdate, 0);
  // Inside the dense-layer kernels: GEMM, epilogue and elementwise functions of the wasm module; the
  // rest of those kernels' time is JS glue, counted as per-op overhead. (Adam and Polyak averaging
  // are timed on their own below; the DDPM step is its own tfjs kernel.)
  const dense = 'dense layers (GEMM + bias + Mish)';
  let innerMs = 0;
  for (const [fn, e] of Object.entries(inner)) {
    if (fn === 'adam' || fn === 'polyak' || fn === 'ddpmStep') continue;
    add(categoryOf(fn), e.ms / U);
    innerMs += e.ms / U;
  }
  if (categories[dense] !== undefined) {
    add('per-op overhead (tfjs bookkeeping, JS glue)', Math.max(0, categories[dense] - innerMs));
    delete categories[dense];
  }
  add('optimizer (Adam, host side)', adamMs);
  add('Polyak averaging (host side)', polyakMs);
  add('per-op overhead (tfjs bookkeeping, JS glue)', Math.max(0, profiledMs - kernelMs - adamMs - polyakMs));
  process.stdout.write(
    `${JSON.stringify({
      backend: info.name,
      fastKernels: fastKernelsEnabled(),
      hidden: H,
      batch: B,
      steps: +o.steps,
      updates: U,
      wallMsPerUpdate: wallMs,
      cpuMsPerUpdate: cpuPerUpdate,
      profiledMsPerUpdate: profiledMs,
      kernelCallsPerUpdate: kernels.reduce((s, k) => s + k.callsPerUpdate, 0),
      categories,
      kernels,
      wasmFunctions: Object.fromEntries(
        Object.entries(inner).map(([fn, e]) => [fn, { msPerUpdate: e.ms / U, callsPerUpdate: e.calls / U }]),
      ),
    })}\n`,
  );
  agent.dispose();
}

main().catch((e: unknown) => {
  process.stderr.write(`profile: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(4);
});
