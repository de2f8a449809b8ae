import { setBackend } from './backend.js';

/** Tests run on the default training backend (wasm); TEST_BACKEND=cpu switches. */
export async function useTestBackend(): Promise<void> {
  await setBackend(process.env.TEST_BACKEND === 'cpu' ? 'cpu' : 'wasm');
}
