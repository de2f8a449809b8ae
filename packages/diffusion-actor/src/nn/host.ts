/**
 * Direct access to tensor storage on the CPU backends, for the few hot loops that tfjs would
 * otherwise spread over many small kernels (Mish, the DDPM step, Adam, Polyak averaging).
 *
 * On 'wasm' a float32 tensor lives in the module's heap (BackendWasm.typedArrayFromHeap gives a view);
 * on 'cpu' it is a Float32Array in the backend's data map. Other backends ('tensorflow', 'webgl')
 * return null and callers fall back to ordinary tfjs ops.
 *
 * Never write into an existing tensor: tfjs treats tensors as immutable and the wasm backend caches
 * XNNPACK's packed copy of a matMul weight by tensor id, so a weight changed in place keeps being
 * multiplied with its old values. Updates therefore fill a fresh tensor (`replaceValues`) that the
 * variable then takes over (Variable.assign), which costs one allocation and no extra kernel.
 */
import * as tf from '@tensorflow/tfjs';

interface WasmLike {
  typedArrayFromHeap(info: { shape: number[]; dtype: string; dataId: object }): Float32Array;
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
}
interface CpuLike {
  data: { get(dataId: object): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: string, values?: Float32Array): tf.TensorInfo;
}

export type HostKind = 'wasm' | 'cpu' | null;

/** Which host-memory path the active backend supports. */
export function hostKind(): HostKind {
  const name = tf.getBackend();
  return name === 'wasm' || name === 'cpu' ? name : null;
}

/** A view of a float32 tensor's storage (writes go to the tensor), or null off the CPU backends. */
export function hostView(t: tf.TensorInfo): Float32Array | null {
  if (t.dtype !== 'float32') return null;
  const kind = hostKind();
  if (kind === 'wasm') return (tf.backend() as unknown as WasmLike).typedArrayFromHeap(t);
  if (kind === 'cpu') {
    const values = (tf.backend() as unknown as CpuLike).data.get(t.dataId)?.values;
    return values instanceof Float32Array ? values : null;
  }
  return null;
}

/** Allocates an uninitialised float32 output on the given backend (for kernels). */
export function allocOutput(backend: unknown, kind: 'wasm' | 'cpu', shape: number[]): tf.TensorInfo {
  if (kind === 'wasm') return (backend as WasmLike).makeOutput(shape, 'float32');
  return (backend as CpuLike).makeTensorInfo(
    shape,
    'float32',
    new Float32Array(shape.reduce((a, b) => a * b, 1)),
  );
}

/** View of a tensor on a specific backend instance (inside a kernel). */
export function viewOn(backend: unknown, kind: 'wasm' | 'cpu', t: tf.TensorInfo): Float32Array {
  if (kind === 'wasm') return (backend as WasmLike).typedArrayFromHeap(t);
  return (backend as CpuLike).data.get(t.dataId)!.values as Float32Array;
}

type KernelBody = (inputs: Float32Array[], outputs: Float32Array[], attrs: Record<string, number>) => void;

/**
 * Registers an elementwise JS kernel for 'wasm' and 'cpu'. Every output has the shape of the first
 * input. Outputs are allocated before any view is taken, because allocating can grow (and so
 * detach) the wasm heap.
 */
export function registerHostKernel(name: string, outputs: number, body: KernelBody): void {
  for (const kind of ['wasm', 'cpu'] as const) {
    if (tf.getKernel(name, kind)) continue;
    tf.registerKernel({
      kernelName: name,
      backendName: kind,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const ins = Object.values(inputs) as tf.TensorInfo[];
        const shape = ins[0]!.shape;
        const outs = Array.from({ length: outputs }, () => allocOutput(backend, kind, shape));
        body(
          ins.map((t) => viewOn(backend, kind, t)),
          outs.map((t) => viewOn(backend, kind, t)),
          (attrs ?? {}) as Record<string, number>,
        );
        return outs;
      },
    });
  }
}

/** Runs a host kernel registered with registerHostKernel (inputs named i0, i1, ...). */
export function runHostKernel(
  name: string,
  inputs: tf.Tensor[],
  attrs: Record<string, number> = {},
): tf.Tensor[] {
  const named: Record<string, tf.Tensor> = {};
  inputs.forEach((t, i) => {
    named[`i${i}`] = t;
  });
  const out = tf
    .engine()
    .runKernel(name, named as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap);
  return Array.isArray(out) ? (out as tf.Tensor[]) : [out as tf.Tensor];
}

/**
 * Gives `v` fresh storage filled by `fill(out)`. Views of other tensors must be taken inside `fill`
 * (allocating the output may grow, and so detach, the wasm heap).
 */
export function replaceValues(v: tf.Variable, fill: (out: Float32Array) => void): void {
  tf.tidy(() => {
    const fresh = tf.zeros(v.shape);
    const view = hostView(fresh);
    if (view) {
      fill(view);
      v.assign(fresh);
    } else {
      const values = new Float32Array(v.size);
      fill(values);
      v.assign(tf.tensor(values, v.shape));
    }
  });
}

/** The tensor's values: a view on the CPU backends, a copy elsewhere (read-only use). */
export function readView(t: tf.Tensor): Float32Array {
  return hostView(t) ?? (t.dataSync() as Float32Array);
}
