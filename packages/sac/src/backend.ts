/**
 * Tensor backend selection. 'wasm' (default via 'auto') is the portable fast path on CPUs; 'cpu' is
 * tfjs's pure-JS fallback; 'tensorflow' uses the native libtensorflow bindings of
 * `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node`, optional peer dependencies loaded with a
 * dynamic import only when present.
 */
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
  "backend 'tensorflow' needs @tensorflow/tfjs-node (CPU) or @tensorflow/tfjs-node-gpu (CUDA): " +
  'install one with `pnpm add @tensorflow/tfjs-node@4.22.0` in the app that runs training. ' +
  'Their install script downloads libtensorflow from storage.googleapis.com (not from the npm registry) ' +
  'and must be allowed to run (pnpm blocks build scripts by default), so it fails offline or behind a ' +
  "registry-only proxy; use '--backend wasm' there.";

async function importOptional(name: string): Promise<boolean> {
  try {
    await import(name);
    return true;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return false;
    // Installed but broken (typically the native addon was never built): say so rather than hide it.
    throw new BackendUnavailableError(
      `${name} is installed but failed to load: ${(e as Error).message}. ${NATIVE_HELP}`,
    );
  }
}

async function useNative(): Promise<BackendInfo | null> {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    if (await importOptional(pkg)) {
      if (!(await tf.setBackend('tensorflow')))
        throw new BackendUnavailableError(`${pkg} loaded but backend 'tensorflow' did not start`);
      await tf.ready();
      return { requested: 'tensorflow', name: 'tensorflow', provider: pkg };
    }
  }
  return null;
}

async function useWasm(): Promise<BackendInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm')))
    throw new BackendUnavailableError("backend 'wasm' failed to initialise");
  await tf.ready();
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
