/**
 * The SIMD kernels of wat.ts as tfjs kernels of the 'wasm' backend, working in place on tensor
 * storage: the module is instantiated on tfjs-wasm's own WebAssembly.Memory, so a tensor's data is
 * addressed by its heap offset and nothing is copied in or out.
 *
 * Two kernels carry a dense layer:
 *   DcLinear      y = act(x W + b + off), and the activation's derivative d (Mish)
 *   DcLinearGrad  from dy (and d, x, W as needed): dx = dz W^T, dW = x^T dz, db = colsum(dz) and the
 *                 offset's gradient, dz = dy * d; only the requested gradients are computed
 * Both are plain matrix kernels (gemm, gemmTN, gemmNT) plus one fused elementwise pass, so a layer
 * costs two kernel launches instead of tfjs's matMul, bias add, activation, transposes and reductions.
 *
 * Saved tensors: tfjs clones every tensor saved for the backward pass, and tfjs-wasm's Identity
 * copies the data. `enableWasmKernels` registers an Identity that shares the storage instead (as the
 * cpu and webgl backends do; tensors are immutable, and the backend frees storage by reference count).
 */
import * as tf from '@tensorflow/tfjs';
import { instantiateKernels, type Kernels } from './kernels.js';
import type { WasmMemory } from './webassembly-types.js';

interface WasmBackendLike {
  wasm: { asm: { memory: WasmMemory }; _malloc(n: number): number; _free(p: number): void };
  dataIdMap: { get(dataId: object): { memoryOffset: number; refCount: number } | undefined };
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  incRef(dataId: object): void;
}

const instances = new WeakMap<object, Kernels>();

/** Per-function time and call counts of the kernels while profiling is on (profileWasmKernels). */
export type KernelTimes = Record<string, { ms: number; calls: number }>;
let times: KernelTimes | null = null;
let clock: () => number = () => performance.now();
const timed = new WeakMap<Kernels, Kernels>();

function withTimers(k: Kernels): Kernels {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(k as unknown as Record<string, (...a: number[]) => void>)) {
    out[name] = (...args: number[]) => {
      const t = clock();
      fn(...args);
      const e = (times![name] ??= { ms: 0, calls: 0 });
      e.ms += clock() - t;
      e.calls += 1;
    };
  }
  return out as unknown as Kernels;
}

function kernelsOf(backend: WasmBackendLike): Kernels {
  let k = instances.get(backend);
  if (!k) {
    k = instantiateKernels(backend.wasm.asm.memory);
    instances.set(backend, k);
  }
  if (!times) return k;
  let t = timed.get(k);
  if (!t) {
    t = withTimers(k);
    timed.set(k, t);
  }
  return t;
}

/**
 * Diagnostics for profiles: `true` starts timing every kernel call on the tfjs heap (from zero) with
 * `timer` (milliseconds; wall clock by default); `false` stops and returns what was recorded (null
 * when timing was off).
 */
export function profileWasmKernels(
  on: boolean,
  timer: () => number = () => performance.now(),
): KernelTimes | null {
  const recorded = times;
  times = on ? {} : null;
  clock = timer;
  return on ? times : recorded;
}

/** The wasm backend's kernels, or null when the active backend is not wasm. */
export function activeWasmKernels(): { kernels: Kernels; backend: WasmBackendLike } | null {
  if (tf.getBackend() !== 'wasm') return null;
  const backend = tf.backend() as unknown as WasmBackendLike;
  return { kernels: kernelsOf(backend), backend };
}

export const ptrOf = (backend: WasmBackendLike, t: tf.TensorInfo): number =>
  backend.dataIdMap.get(t.dataId)!.memoryOffset;

export const LINEAR_KERNEL = 'DcLinear';
/** Below this reduction depth dx = dz W^T multiplies by an explicit transpose instead (faster). */
const NT_MIN_DEPTH = 32;
/** From this input width dW = x^T dz transposes x first and runs the plain kernel (faster). */
const TN_MIN_ROWS = 128;
export const LINEAR_GRAD_KERNEL = 'DcLinearGrad';

export interface LinearAttrs {
  mish: boolean;
  /** 0: no offset input; 1: an offset broadcast over rows; otherwise one offset row per batch row */
  offRows: number;
  /** also output the activation's derivative (for the backward pass) */
  withD: boolean;
}

export interface LinearGradAttrs {
  mish: boolean;
  gradInput: boolean;
  gradWeights: boolean;
  hasBias: boolean;
  /** as in LinearAttrs; the offset's gradient is dz (per-row offset) or colsum(dz) (broadcast) */
  offRows: number;
  /** input width K (x is not passed when gradWeights is false) */
  inDim: number;
}

function linearKernel({
  inputs,
  backend,
  attrs,
}: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: unknown;
}) {
  const be = backend as WasmBackendLike;
  const k = kernelsOf(be);
  const { x, w, b, off } = inputs as Record<string, tf.TensorInfo | undefined>;
  const { mish, offRows, withD } = attrs as unknown as LinearAttrs;
  const [B, K] = x!.shape as [number, number];
  const N = w!.shape[1]!;
  const y = be.makeOutput([B, N], 'float32');
  const d = mish && withD ? be.makeOutput([B, N], 'float32') : null;
  const p = (t: tf.TensorInfo | null | undefined) => (t ? ptrOf(be, t) : 0);
  k.gemm(B, N, K, p(x), K, p(w), N, p(y), N, 0);
  k.epilogue(B, N, p(y), p(b), p(off), off ? offRows : 0, p(y), p(d), mish ? 1 : 0);
  return d ? [y, d] : y;
}

function linearGradKernel({
  inputs,
  backend,
  attrs,
}: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: unknown;
}) {
  const be = backend as WasmBackendLike;
  const k = kernelsOf(be);
  const { dy, d, x, w } = inputs as Record<string, tf.TensorInfo | undefined>;
  const a = attrs as unknown as LinearGradAttrs;
  const [B, N] = dy!.shape as [number, number];
  const K = a.inDim;
  const outs: tf.TensorInfo[] = [];
  // dz: the offset's gradient when the offset has one row per batch row; else scratch.
  let dz = dy!;
  let scratch = 0;
  const perRowOffset = a.offRows > 1;
  if (a.mish) {
    if (perRowOffset) {
      dz = be.makeOutput([B, N], 'float32');
      k.mul(B * N, ptrOf(be, dy!), ptrOf(be, d!), ptrOf(be, dz));
    } else {
      scratch = be.wasm._malloc(4 * B * N);
      k.mul(B * N, ptrOf(be, dy!), ptrOf(be, d!), scratch);
    }
  }
  const pdz = scratch || ptrOf(be, dz);
  if (a.gradInput) {
    const dx = be.makeOutput([B, K], 'float32');
    const pw = ptrOf(be, w!);
    if (N >= NT_MIN_DEPTH) {
      k.gemmNT(B, K, N, pdz, N, pw, N, ptrOf(be, dx), K);
    } else {
      // Short dot products waste the NT kernel's horizontal sums: multiply by an explicit W^T
      // ([N, K]; for N = 1 it is W itself).
      let wt = pw;
      if (N > 1) {
        wt = be.wasm._malloc(4 * N * K);
        k.transpose(K, N, pw, N, wt, K);
      }
      k.gemm(B, K, N, pdz, N, wt, K, ptrOf(be, dx), K, 0);
      if (wt !== pw) be.wasm._free(wt);
    }
    outs.push(dx);
  }
  if (a.gradWeights) {
    const dw = be.makeOutput([K, N], 'float32');
    if (K >= TN_MIN_ROWS) {
      // x^T as an explicit copy: the A^T kernel reads x down its columns, which for wide x costs
      // more than transposing it once (measured in situ: about 10% of the weight gradients' time).
      const xt = be.wasm._malloc(4 * K * B);
      k.transpose(B, K, ptrOf(be, x!), K, xt, B);
      k.gemm(K, N, B, xt, B, pdz, N, ptrOf(be, dw), N, 0);
      be.wasm._free(xt);
    } else {
      k.gemmTN(K, N, B, ptrOf(be, x!), K, pdz, N, ptrOf(be, dw), N, 0);
    }
    outs.push(dw);
  }
  let colsum: tf.TensorInfo | null = null;
  const sums = () => {
    if (!colsum) {
      colsum = be.makeOutput([N], 'float32');
      k.colsum(B, N, pdz, ptrOf(be, colsum));
    }
    return colsum;
  };
  if (a.gradWeights && a.hasBias) outs.push(sums());
  if (a.offRows === 1) {
    // A second output sharing the bias gradient's storage.
    const s = sums();
    if (outs.includes(s)) be.incRef(s.dataId);
    outs.push(s);
  } else if (perRowOffset) {
    if (dz === dy) be.incRef(dy!.dataId); // an output aliasing an input holds its own reference
    outs.push(dz);
  }
  if (scratch) be.wasm._free(scratch);
  return outs;
}

/** Identity that shares storage (reference counted) instead of copying it. */
function sharedIdentity({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: unknown }) {
  const x = inputs.x as tf.TensorInfo;
  (backend as WasmBackendLike).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

let registered = false;
let identityBefore: tf.KernelConfig | undefined;

/** Registers the kernels (idempotent). */
export function enableWasmKernels(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: LINEAR_KERNEL,
    backendName: 'wasm',
    kernelFunc: linearKernel as unknown as tf.KernelFunc,
  });
  tf.registerKernel({
    kernelName: LINEAR_GRAD_KERNEL,
    backendName: 'wasm',
    kernelFunc: linearGradKernel as unknown as tf.KernelFunc,
  });
  tf.registerKernel({
    kernelName: DDPM_STEP_KERNEL,
    backendName: 'wasm',
    kernelFunc: ddpmStepKernel as unknown as tf.KernelFunc,
  });
  identityBefore = tf.getKernel('Identity', 'wasm');
  if (identityBefore) tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: sharedIdentity as unknown as tf.KernelFunc,
  });
}

/** Restores tfjs-wasm's own Identity (the Dc kernels stay registered; nothing calls them then). */
export function disableWasmKernels(): void {
  if (!registered) return;
  registered = false;
  tf.unregisterKernel('Identity', 'wasm');
  if (identityBefore) tf.registerKernel(identityBefore);
  tf.unregisterKernel(LINEAR_KERNEL, 'wasm');
  tf.unregisterKernel(LINEAR_GRAD_KERNEL, 'wasm');
  tf.unregisterKernel(DDPM_STEP_KERNEL, 'wasm');
}

export const DDPM_STEP_KERNEL = 'DcDdpmStep';

function ddpmStepKernel({
  inputs,
  backend,
  attrs,
}: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: unknown;
}) {
  const be = backend as WasmBackendLike;
  const k = kernelsOf(be);
  const { i0: x, i1: eps, i2: z } = inputs as Record<string, tf.TensorInfo | undefined>;
  const { sr, srm1, c1, c2 } = attrs as { sr: number; srm1: number; c1: number; c2: number };
  const outs = [0, 1, 2].map(() => be.makeOutput(x!.shape, 'float32'));
  const [next, gx, ge] = outs.map((t) => ptrOf(be, t)) as [number, number, number];
  k.ddpmStep(
    x!.shape.reduce((a, b) => a * b, 1),
    ptrOf(be, x!),
    ptrOf(be, eps!),
    z ? ptrOf(be, z) : 0,
    next,
    gx,
    ge,
    sr,
    srm1,
    c1,
    c2,
  );
  return outs;
}

/** A fresh float32 tensor of `shape` whose storage is uninitialised (the caller fills all of it). */
function freshTensor(be: WasmBackendLike, shape: number[]): tf.Tensor {
  return (
    tf.engine() as unknown as { makeTensorFromTensorInfo(info: tf.TensorInfo): tf.Tensor }
  ).makeTensorFromTensorInfo(be.makeOutput(shape, 'float32'));
}

/**
 * Adam on the wasm heap: for each parameter, new values go to fresh storage (never in place: the
 * backend caches packed matMul weights by tensor id), the moments m and v (JS arrays, so checkpoints
 * can read them) are copied through a scratch buffer.
 */
export function wasmAdamStep(
  params: readonly tf.Variable[],
  grads: readonly tf.Tensor[],
  m: readonly Float32Array[],
  v: readonly Float32Array[],
  h: { b1: number; b2: number; stepSize: number; invBias2: number; eps: number },
): void {
  const { kernels: k, backend: be } = activeWasmKernels()!;
  const largest = params.reduce((a, p) => Math.max(a, p.size), 0);
  const scratch = be.wasm._malloc(8 * largest);
  tf.tidy(() => {
    params.forEach((param, i) => {
      const n = param.size;
      const fresh = freshTensor(be, param.shape);
      const heap = new Float32Array(be.wasm.asm.memory.buffer);
      const pm = scratch;
      const pv = scratch + 4 * n;
      heap.set(m[i]!, pm >> 2);
      heap.set(v[i]!, pv >> 2);
      k.adam(
        n,
        ptrOf(be, param),
        ptrOf(be, grads[i]!),
        pm,
        pv,
        ptrOf(be, fresh),
        h.b1,
        1 - h.b1,
        h.b2,
        1 - h.b2,
        h.stepSize,
        h.invBias2,
        h.eps,
      );
      m[i]!.set(heap.subarray(pm >> 2, (pm >> 2) + n));
      v[i]!.set(heap.subarray(pv >> 2, (pv >> 2) + n));
      param.assign(fresh);
    });
  });
  be.wasm._free(scratch);
}

/** target <- keep * target + tau * source, into fresh storage, on the wasm heap. */
export function wasmPolyak(
  target: readonly tf.Variable[],
  source: readonly tf.Variable[],
  tau: number,
): void {
  const { kernels: k, backend: be } = activeWasmKernels()!;
  tf.tidy(() => {
    target.forEach((t, i) => {
      const fresh = freshTensor(be, t.shape);
      k.polyak(t.size, ptrOf(be, t), ptrOf(be, source[i]!), ptrOf(be, fresh), 1 - tau, tau);
      t.assign(fresh);
    });
  });
}

/** target <- source as fresh storage (a copy; never shared with the source). */
export function wasmCopy(target: readonly tf.Variable[], source: readonly tf.Variable[]): void {
  const { backend: be } = activeWasmKernels()!;
  tf.tidy(() => {
    target.forEach((t, i) => {
      const fresh = freshTensor(be, t.shape);
      const heap = new Float32Array(be.wasm.asm.memory.buffer);
      const from = ptrOf(be, source[i]!) >> 2;
      heap.copyWithin(ptrOf(be, fresh) >> 2, from, from + t.size);
      t.assign(fresh);
    });
  });
}
