/**
 * How z3's Emscripten build starts in the z3 worker, arranged for a fast first proof (README,
 * "Speed"):
 * - its 35 MB wasm is compiled by the page as soon as the page starts, in parallel with everything
 *   else, and the compiled module is posted here; Emscripten's `instantiateWasm` hook instantiates
 *   that module instead of fetching and compiling the file again. Its pthreads receive the same
 *   module, so nothing is compiled twice;
 * - z3-solver 5.2.0's build has no pthread pool (PTHREAD_POOL_SIZE 0): every thread of the first
 *   proof would start a worker then, load z3-built.js into it and only then run. Here the workers
 *   are started while the wasm compiles and handed the module once it is there, which is what
 *   Emscripten's own pool does.
 */
import { mark } from './marks.js';

/** What the page posts to the z3 worker: the compiled wasm, or why it could not compile it. */
export type Z3WasmMessage = { z3Wasm: WebAssembly.Module } | { z3WasmError: string };

/**
 * Threads z3 starts in a contract's first proof: the asynchronous check, its timeout timer and one
 * more (counted with the `studio:pthread worker` marks of scripts/timing.mjs --trace).
 */
export const PTHREAD_POOL = 3;

/** The part of Emscripten's PThread object (exported as Module.PThread) the pool uses. */
interface PThreadInternals {
  unusedWorkers: Worker[];
  allocateUnusedWorker(): void;
  loadWasmModuleToWorker(worker: Worker): Promise<unknown>;
}

function isPThread(value: unknown): value is PThreadInternals {
  const p = value as Partial<PThreadInternals> | undefined;
  return (
    Array.isArray(p?.unusedWorkers) &&
    typeof p.allocateUnusedWorker === 'function' &&
    typeof p.loadWasmModuleToWorker === 'function'
  );
}

export type InitZ3 = (moduleArg: Record<string, unknown>) => Promise<unknown>;
type ReceiveInstance = (instance: WebAssembly.Instance, module: WebAssembly.Module) => void;

/**
 * Wraps z3-built.js's `initZ3` so that it instantiates `wasm` (compiled elsewhere) and starts its
 * pthread workers early. Without Emscripten's PThread internals (another z3-solver build), the
 * workers start on demand as before; a wasm that failed to compile fails the start-up.
 */
export function fastInitZ3(
  initZ3: InitZ3,
  wasm: Promise<WebAssembly.Module>,
  files: { script: string },
): InitZ3 {
  return async (overrides = {}) => {
    mark('z3 init');
    let spare: Worker[] = [];
    let pthread: PThreadInternals | undefined;
    let failed: (error: unknown) => void = () => undefined;
    const failure = new Promise<never>((_, reject) => {
      failed = reject;
    });
    const moduleArg: Record<string, unknown> = {
      ...overrides,
      locateFile: (file: string) => new URL(file, files.script).href,
      // a worker has no currentScript: the pthreads start from this script
      mainScriptUrlOrBlob: files.script,
      instantiateWasm(imports: WebAssembly.Imports, receiveInstance: ReceiveInstance) {
        wasm
          .then(async (module) => {
            mark('z3 wasm received');
            const instance = await WebAssembly.instantiate(module, imports);
            receiveInstance(instance, module);
            mark('z3 instantiated');
            // the pool's workers get the module and the memory now, as PTHREAD_POOL_SIZE's do;
            // they were kept out of the pool until then so no thread can start in one too early
            for (const worker of spare) {
              void pthread!.loadWasmModuleToWorker(worker);
              pthread!.unusedWorkers.push(worker);
            }
          })
          .catch(failed);
        return {}; // the exports arrive through receiveInstance
      },
    };
    const ready = initZ3(moduleArg);
    // initZ3 ran z3-built.js's set-up synchronously, which exported Module.PThread
    if (isPThread(moduleArg.PThread)) {
      pthread = moduleArg.PThread;
      const before = pthread.unusedWorkers.length;
      for (let i = 0; i < PTHREAD_POOL; i++) pthread.allocateUnusedWorker();
      spare = pthread.unusedWorkers.splice(before);
      mark('pthread workers started');
    }
    const module = await Promise.race([ready, failure]);
    mark('z3 ready');
    return module;
  };
}
