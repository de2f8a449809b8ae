/**
 * The WebAssembly SIMD kernels (wat.ts) instantiated on a given memory. Pointers are byte offsets
 * into that memory; see wat.ts for each function's contract.
 */
import { KERNELS_WASM_BASE64 } from './binary.js';
import { type WasmMemory, type WasmModule, wasmApi } from './webassembly-types.js';

export interface Kernels {
  gemm(
    M: number,
    N: number,
    K: number,
    A: number,
    lda: number,
    B: number,
    ldb: number,
    C: number,
    ldc: number,
    acc: number,
  ): void;
  gemmTN(
    M: number,
    N: number,
    K: number,
    A: number,
    lda: number,
    B: number,
    ldb: number,
    C: number,
    ldc: number,
    acc: number,
  ): void;
  gemmNT(
    M: number,
    N: number,
    K: number,
    A: number,
    lda: number,
    B: number,
    ldb: number,
    C: number,
    ldc: number,
  ): void;
  epilogue(
    M: number,
    N: number,
    Z: number,
    bias: number,
    off: number,
    offRows: number,
    Y: number,
    D: number,
    mish: number,
  ): void;
  transpose(R: number, C: number, A: number, lda: number, B: number, ldb: number): void;
  mul(n: number, a: number, b: number, out: number): void;
  polyak(n: number, t: number, s: number, out: number, keep: number, tau: number): void;
  adam(
    n: number,
    p: number,
    g: number,
    m: number,
    v: number,
    out: number,
    b1: number,
    c1: number,
    b2: number,
    c2: number,
    stepSize: number,
    invBias2: number,
    eps: number,
  ): void;
  ddpmStep(
    n: number,
    x: number,
    eps: number,
    z: number,
    next: number,
    gx: number,
    ge: number,
    sr: number,
    srm1: number,
    c1: number,
    c2: number,
  ): void;
  clip(n: number, a: number, out: number, lo: number, hi: number): void;
  colsum(M: number, N: number, A: number, out: number): void;
}

let compiled: WasmModule | null = null;

/** Whether this JavaScript engine runs WebAssembly with fixed-width SIMD (Node >= 16.4 does). */
export function wasmSimdSupported(): boolean {
  try {
    kernelsModule();
    return true;
  } catch {
    return false;
  }
}

function kernelsModule(): WasmModule {
  // atob rather than Buffer: the same kernels run in the browser (apps/studio's worker).
  if (!compiled)
    compiled = new wasmApi.Module(Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0)));
  return compiled;
}

/** The kernels working on `memory` (shared with whoever owns it). */
export function instantiateKernels(memory: WasmMemory): Kernels {
  const instance = new wasmApi.Instance(kernelsModule(), { env: { memory } });
  return instance.exports as unknown as Kernels;
}

/**
 * A memory of our own with a bump allocator, for work outside tfjs (inference from an artefact).
 * Addresses below 64 stay unused so that 0 can mean "absent" in kernel arguments.
 */
export class Arena {
  readonly memory: WasmMemory;
  readonly kernels: Kernels;
  private top = 64;

  constructor(initialBytes = 1 << 20) {
    this.memory = new wasmApi.Memory({ initial: Math.max(1, Math.ceil(initialBytes / 65536)) });
    this.kernels = instantiateKernels(this.memory);
  }

  /** Allocates `count` float32 values (16-byte aligned, zeroed) and returns the byte offset. */
  alloc(count: number): number {
    const at = (this.top + 15) & ~15;
    const end = at + 4 * count;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / 65536));
    this.top = end;
    return at;
  }

  /** Frees everything allocated so far. */
  reset(): void {
    this.top = 64;
  }

  /** The current allocation mark (pass to resetTo to free what was allocated after it). */
  mark(): number {
    return this.top;
  }

  resetTo(mark: number): void {
    this.top = mark;
  }

  /** A view of `count` floats at `ptr` (valid until the next alloc, which may grow the memory). */
  view(ptr: number, count: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, count);
  }
}
