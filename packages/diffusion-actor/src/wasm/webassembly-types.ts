/**
 * The few WebAssembly JS-API types these kernels use. The project compiles against lib ES2022 and
 * @types/node, neither of which declares the WebAssembly namespace (it lives in lib.dom). They are
 * module-local, not a global declaration, so a consumer compiling with lib.dom and
 * `skipLibCheck: false` sees no second, conflicting WebAssembly namespace.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}

export type WasmModule = object;

interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  Module: new (bytes: ArrayBufferView | ArrayBuffer) => WasmModule;
  Instance: new (module: WasmModule, imports?: Record<string, Record<string, unknown>>) => WasmInstance;
}

/** The engine's WebAssembly object (Node has had it since v8). */
export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
