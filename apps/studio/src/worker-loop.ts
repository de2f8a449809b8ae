/**
 * The request loop both workers share: requests run one after another (one z3 context runs one call
 * at a time, and HiGHS is single-threaded too), errors come back as one line, and bad input is
 * told apart from internal failures.
 */
import { InputError } from '@diffcontract/env';
import type { WorkerMessage } from './protocol.js';

export interface WorkerScope {
  postMessage(message: WorkerMessage): void;
  onmessage: ((event: { data: { id?: unknown; request?: unknown } | null }) => void) | null;
}

export type Progress = (done: number, total: number, what: string) => void;

export function serve<R>(handle: (request: R, progress: Progress) => Promise<unknown>): void {
  const scope = globalThis as unknown as WorkerScope;
  let chain: Promise<void> = Promise.resolve();
  scope.onmessage = ({ data }) => {
    // other messages (the z3 worker's port to its compiled wasm) are not requests
    if (typeof data?.id !== 'number') return;
    const { id, request } = data;
    chain = chain.then(async () => {
      try {
        const value = await handle(request as R, (done, total, what) =>
          scope.postMessage({ id, progress: { done, total, what } }),
        );
        scope.postMessage({ id, ok: true, value });
      } catch (error) {
        const input = error instanceof InputError;
        const message = error instanceof Error ? error.message : String(error);
        scope.postMessage({ id, ok: false, error: message, input });
      }
    });
  };
}
