/**
 * How z3's Emscripten build starts in the z3 worker, arranged for a fast first proof (README,
 * "Speed"):
 * - its 35 MB wasm is compiled from the page's first moment, in a worker of its own
 *   (static/z3-compile.js, started by index.html), and the compiled module is posted here; Emscripten's
 *   `instantiateWasm` hook instantiates that module instead of fetching and compiling the file
 *   again. Its pthreads receive the same module, so nothing is compiled twice;
 * - z3-solver 5.2.0's build has no pthread pool (PTHREAD_POOL_SIZE 0): every thread of the first
 *   proof would start a worker then, load z3-built.js into it and only then run. Here the workers
 *   start while z3 instantiates and get the module at once, as Emscripten's own pool does.
 */
import { mark } from './marks.js';

/** What the z3 worker receives from the compiling worker: the wasm, or why it did not compile. */
export type Z3WasmMessage = { z3Wasm: WebAssembly.Module } | { z3WasmError: string };

/**
 * Workers for the threads z3 runs at once in a proof (the asynchronous check, its timeout timer
 * and one more); scripts/timing.mjs --trace shows a `pthread worker started on demand` mark for
 * each thread beyond them.
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
 * Wraps z3-built.js's `initZ3` so that it instantiates `wasm` (compiled elsewhere) and finds its
 * pthread workers started. It waits for the wasm, then starts the workers, which load z3-built.js
 * while z3 instantiates and initialises. (Not earlier: a pthread worker that waits more than 10 s
 * for its module makes Emscripten's debug build complain on the console, which a slow compile on
 * a busy machine would cause.) Without Emscripten's PThread internals (another z3-solver build)
 * the workers are dropped and threads start on demand, as before.
 */
export function fastInitZ3(
  initZ3: InitZ3,
  wasm: Promise<WebAssembly.Module>,
  files: { script: string },
): InitZ3 {
  return async (overrides = {}) => {
    const module = await wasm;
    mark('z3 init');
    // what Emscripten's allocateUnusedWorker does: a worker on z3-built.js, named as a pthread
    const spare = Array.from(
      { length: PTHREAD_POOL },
      (_, i) => new Worker(files.script, { name: `em-pthread-pool-${i + 1}` }),
    );
    mark('pthread workers started');
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
        WebAssembly.instantiate(module, imports)
          .then((instance) => {
            receiveInstance(instance, module);
            mark('z3 instantiated');
            usePool(moduleArg.PThread, spare);
          })
          .catch((error) => {
            for (const worker of spare) worker.terminate();
            failed(error);
          });
        return {}; // the exports arrive through receiveInstance
      },
    };
    const em = await Promise.race([initZ3(moduleArg), failure]);
    mark('z3 ready');
    return em;
  };
}

/**
 * Hands the early workers the module and the memory, as Emscripten's PTHREAD_POOL_SIZE does at
 * start-up, and puts them in its pool of unused workers, where a new thread looks first.
 */
function usePool(pthread: unknown, workers: Worker[]): void {
  if (!isPThread(pthread)) {
    for (const worker of workers) worker.terminate();
    return;
  }
  for (const worker of workers) {
    void pthread.loadWasmModuleToWorker(worker);
    pthread.unusedWorkers.push(worker);
  }
  // a thread beyond the pool starts its worker on demand (the mark says PTHREAD_POOL is short)
  const allocate = pthread.allocateUnusedWorker.bind(pthread);
  pthread.allocateUnusedWorker = () => {
    mark('pthread worker started on demand');
    allocate();
  };
}
