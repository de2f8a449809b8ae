import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** Tests run on the default training backend (wasm); TEST_BACKEND=cpu switches. */
export async function useTestBackend(): Promise<void> {
  await tf.setBackend(process.env.TEST_BACKEND ?? 'wasm');
  await tf.ready();
}
