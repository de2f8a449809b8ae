/**
 * Tensor backend selection. 'wasm' (default via 'auto') is the portable fast path on CPUs; 'cpu' is
 * tfjs's pure-JS fallback; 'tensorflow' uses the native libtensorflow bindings of
 * `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node`, optional peer dependencies loaded with a
 * dynamic import only when present.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'auto' | 'wasm' | 'cpu' | 'tensorflow';

export interface BackendInfo {
  requested: BackendName;
  /** the tfjs backend actually active ('wasm', 'cpu' or 'tensorflow') */
  name: string;
  /** package that provided it */
  provider: string;
  /** wasm: threads in use (1 unless the threaded build could start) */
  threads?: number;
}

export class BackendUnavailableError extends Error {}

const NATIVE_HELP =
  "backend 'tensorflow' needs @tensorflow/tfjs-node (CPU) or @tensorflow/tfjs-node-gpu (CUDA), optional peer " +
  'dependencies of @diffcontract/sac: install one (`pnpm add @tensorflow/tfjs-node@4.22.0` in the workspace ' +
  'root or the app) and allow its install script: list it under pnpm.onlyBuiltDependencies in the root ' +
  'package.json, then run `pnpm rebuild @tensorflow/tfjs-node`. That script downloads the libtensorflow binary ' +
  'from storage.googleapis.com, not from the npm registry, so it fails offline or behind a registry-only proxy; ' +
  "use '--backend wasm' there.";

type NativeStatus =
  | { status: 'absent' }
  | { status: 'unbuilt'; dir: string }
  | { status: 'ready'; url: string };

/**
 * Finds an optional native package in this package's dependencies or, failing that, from the working
 * directory (where an app or the workspace root may have installed it), without importing it: a copy
 * whose install script never ran (pnpm blocks build scripts by default) has no lib/napi-v* /
 * tfjs_binding.node, and importing it would half-register kernels before failing.
 */
function locateNative(name: string): NativeStatus {
  const bases = [import.meta.url, pathToFileURL(join(process.cwd(), 'noop.js')).href];
  for (const base of bases) {
    let manifest: string;
    try {
      manifest = createRequire(base).resolve(`${name}/package.json`);
    } catch {
      continue;
    }
    const dir = dirname(manifest);
    const lib = join(dir, 'lib');
    const built =
      existsSync(lib) &&
      readdirSync(lib).some((d) => d.startsWith('napi-v') && existsSync(join(lib, d, 'tfjs_binding.node')));
    if (!built) return { status: 'unbuilt', dir };
    return { status: 'ready', url: pathToFileURL(createRequire(base).resolve(name)).href };
  }
  return { status: 'absent' };
}

/** The first native package that loads, null when none is installed; throws when installed but unusable. */
async function useNative(): Promise<BackendInfo | null> {
  const problems: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    const found = locateNative(pkg);
    if (found.status === 'absent') continue;
    if (found.status === 'unbuilt') {
      problems.push(`${pkg} is installed but its native addon was never built (${found.dir})`);
      continue;
    }
    try {
      await import(found.url);
    } catch (e) {
      problems.push(`${pkg} failed to load: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    if (!(await tf.setBackend('tensorflow'))) {
      throw new BackendUnavailableError(`${pkg} loaded but backend 'tensorflow' did not start`);
    }
    await tf.ready();
    return { requested: 'tensorflow', name: 'tensorflow', provider: pkg };
  }
  if (problems.length > 0) throw new BackendUnavailableError(`${problems.join('; ')}. ${NATIVE_HELP}`);
  return null;
}

const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * tfjs-wasm's Emscripten module adds process handlers that rethrow every uncaught exception and
 * unhandled rejection, so an error in the user's own code later exits 7 (Node's "handler failed")
 * instead of 1 with its stack. They exist for Emscripten's exit(), which tfjs never calls, so the
 * handlers added while the backend starts are removed again.
 */
async function withoutAddedProcessHandlers<T>(start: () => Promise<T>): Promise<T> {
  const emitter: NodeJS.EventEmitter = process;
  const before = PROCESS_EVENTS.map((event) => new Set(emitter.listeners(event)));
  try {
    return await start();
  } finally {
    PROCESS_EVENTS.forEach((event, i) => {
      for (const listener of emitter.listeners(event)) {
        if (!before[i]!.has(listener))
          emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    });
  }
}

async function useWasm(): Promise<BackendInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const started = await withoutAddedProcessHandlers(async () => {
    const ok = await tf.setBackend('wasm');
    if (ok) await tf.ready();
    return ok;
  });
  if (!started) throw new BackendUnavailableError("backend 'wasm' failed to initialise");
  const threads = typeof wasm.getThreadsCount === 'function' ? wasm.getThreadsCount() : 1;
  return { requested: 'wasm', name: 'wasm', provider: '@tensorflow/tfjs-backend-wasm', threads };
}

/**
 * Activates a backend and waits until it is ready. 'auto' prefers the native bindings when
 * installed, then wasm, then cpu. Throws BackendUnavailableError with install advice when
 * 'tensorflow' is requested but absent.
 */
export async function setBackend(requested: BackendName = 'auto'): Promise<BackendInfo> {
  switch (requested) {
    case 'cpu':
      await tf.setBackend('cpu');
      await tf.ready();
      return { requested, name: 'cpu', provider: '@tensorflow/tfjs' };
    case 'wasm':
      return useWasm();
    case 'tensorflow': {
      const info = await useNative();
      if (!info) throw new BackendUnavailableError(NATIVE_HELP);
      return info;
    }
    case 'auto': {
      const native = await useNative().catch(() => null);
      if (native) return { ...native, requested };
      try {
        return { ...(await useWasm()), requested };
      } catch {
        await tf.setBackend('cpu');
        await tf.ready();
        return { requested, name: 'cpu', provider: '@tensorflow/tfjs' };
      }
    }
    default:
      throw new Error(`backend: must be one of auto, wasm, cpu, tensorflow (${JSON.stringify(requested)})`);
  }
}
