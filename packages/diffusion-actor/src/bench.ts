/**
 * Micro-benchmarks behind the design of the layers (run: `pnpm --filter @diffcontract/diffusion-actor
 * bench`, after `pnpm build`). Prints milliseconds per call on the wasm backend by default:
 *   - matMul with a transpose flag against tf.transpose + plain matMul (256 x 256 x 256);
 *   - gradient of one Mish dense layer, tfjs autodiff against the hand-written gradient;
 *   - sampling 256 actions and one action through the T-step chain;
 *   - the WebAssembly SIMD kernels (wasm/) on their own: GEMM variants in GFLOP/s, the Mish epilogue.
 * Each tfjs row runs with the fast paths on and off (`setFastKernels`).
 * Usage: node dist/bench.js [--backend wasm|cpu] [--seconds 2]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createDiffusionActor } from './actor.js';
import { setFastKernels } from './nn/fast.js';
import { linear } from './nn/layers.js';
import { createNoise } from './nn/noise.js';
import { Arena } from './wasm/kernels.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const seconds = Number(opt('seconds', '2'));

function msPerCall(fn: () => void): number {
  for (let i = 0; i < 3; i++) fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    fn();
    n += 1;
  }
  return (performance.now() - t0) / n;
}

function timeTidy(f: () => tf.TensorContainer): number {
  return msPerCall(() => {
    const out = tf.tidy(f);
    tf.dispose(out);
  });
}

async function main(): Promise<void> {
  await tf.setBackend(opt('backend', 'wasm'));
  await tf.ready();
  console.log(`backend ${tf.getBackend()}`);
  const a = tf.randomNormal([256, 256]) as tf.Tensor2D;
  const b = tf.randomNormal([256, 256]) as tf.Tensor2D;
  const row = (name: string, ms: number) => console.log(`${name.padEnd(52)} ${ms.toFixed(3)} ms`);
  row(
    'matMul(a, b)',
    timeTidy(() => tf.matMul(a, b)),
  );
  row(
    'matMul(a, b, false, true)   (dx = dy W^T, flagged)',
    timeTidy(() => tf.matMul(a, b, false, true)),
  );
  row(
    'matMul(a, transpose(b))     (dx, explicit)',
    timeTidy(() => tf.matMul(a, tf.transpose(b))),
  );
  row(
    'matMul(a, b, true, false)   (dW = x^T dy, flagged)',
    timeTidy(() => tf.matMul(a, b, true, false)),
  );
  row(
    'matMul(transpose(a), b)     (dW, explicit)',
    timeTidy(() => tf.matMul(tf.transpose(a), b)),
  );
  const w = tf.variable(tf.randomNormal([256, 256], 0, 0.06));
  const bias = tf.variable(tf.zeros([256]));
  const plain = (x: tf.Tensor2D) => {
    const z = tf.add(tf.matMul(x, w), bias);
    return tf.mul(z, tf.tanh(tf.softplus(z)));
  };
  row(
    'Mish dense layer, value + grads, tfjs autodiff',
    timeTidy(() => tf.variableGrads(() => tf.sum(plain(a)) as tf.Scalar, [w, bias]).grads),
  );
  const layer = () =>
    timeTidy(
      () =>
        tf.variableGrads(
          () => tf.sum(linear(a, w as tf.Tensor2D, bias as tf.Tensor1D, { mish: true })) as tf.Scalar,
          [w, bias],
        ).grads,
    );
  const actor = createDiffusionActor({ stateDim: 18, actionDim: 24 });
  const states = createNoise(0).normals(256 * 18);
  const noise = createNoise(1);
  for (const fast of [false, true]) {
    setFastKernels(fast);
    const tag = fast ? 'fast paths (wasm kernels)' : 'reference paths';
    row(`Mish dense layer, value + grads, hand-written, ${tag}`, layer());
    row(
      `diffusion actor: 256 actions (T = 5, hidden 256), ${tag}`,
      msPerCall(() => actor.act(states, noise)),
    );
    row(
      `diffusion actor: 1 action, ${tag}`,
      msPerCall(() => actor.act(states.subarray(0, 18), noise)),
    );
  }
  actor.dispose();

  // The kernels alone, on a memory of their own.
  const arena = new Arena(8 << 20);
  const n = 256;
  const [pa, pb, pc, pd] = [0, 1, 2, 3].map(() => arena.alloc(n * n));
  arena.view(pa!, n * n).set(createNoise(2).normals(n * n));
  arena.view(pb!, n * n).set(createNoise(3).normals(n * n));
  const k = arena.kernels;
  const gflops = (ms: number) => ((2 * n * n * n) / ms / 1e6).toFixed(1);
  const rate = (name: string, ms: number) => console.log(`${name.padEnd(52)} ${gflops(ms)} GFLOP/s`);
  rate(
    'tfjs matMul 256 x 256 x 256 (XNNPACK)',
    timeTidy(() => tf.matMul(a, b)),
  );
  rate(
    'gemm   C = A B     256^3',
    msPerCall(() => k.gemm(n, n, n, pa!, n, pb!, n, pc!, n, 0)),
  );
  rate(
    'gemmTN C = A^T B   256^3',
    msPerCall(() => k.gemmTN(n, n, n, pa!, n, pb!, n, pc!, n, 0)),
  );
  rate(
    'gemmNT C = A B^T   256^3',
    msPerCall(() => k.gemmNT(n, n, n, pa!, n, pb!, n, pc!, n)),
  );
  const perElement = (ms: number) => `${((ms * 1e6) / (n * n)).toFixed(2)} ns per element`;
  const epi = (name: string, f: () => void) => console.log(`${name.padEnd(52)} ${perElement(msPerCall(f))}`);
  epi('epilogue: bias + Mish + derivative', () => k.epilogue(n, n, pa!, pb!, 0, 0, pc!, pd!, 1));
  epi('epilogue: bias + Mish', () => k.epilogue(n, n, pa!, pb!, 0, 0, pc!, 0, 1));
  epi('epilogue: bias only', () => k.epilogue(n, n, pa!, pb!, 0, 0, pc!, 0, 0));
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
