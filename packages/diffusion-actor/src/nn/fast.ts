/**
 * The switch between the WebAssembly SIMD fast paths (wasm/) and the reference implementations
 * (tfjs ops and the JS kernels of host.ts). On by default; the fast paths only ever run on the 'wasm'
 * backend. Tests turn them off to compare both paths on the same backend.
 */
import * as tf from '@tensorflow/tfjs';
import { disableWasmKernels, enableWasmKernels } from '../wasm/tfjs-kernels.js';

let enabled = process.env.DIFFCONTRACT_FAST_KERNELS !== '0';

/** Enables or disables the fast paths for everything that runs afterwards. */
export function setFastKernels(on: boolean): void {
  enabled = on;
  if (!on) disableWasmKernels();
}

/** Whether the fast paths are switched on (they run only on the wasm backend). */
export function fastKernelsEnabled(): boolean {
  return enabled;
}

/** True when the tfjs-wasm fast kernels should run now (and makes sure they are registered). */
export function useWasmKernels(): boolean {
  if (!enabled || tf.getBackend() !== 'wasm') return false;
  enableWasmKernels();
  return true;
}
