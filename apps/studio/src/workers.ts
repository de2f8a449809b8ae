/** The page's side of the workers: one promise per request, progress on the way. */
import type {
  CheckReply,
  CheckRequest,
  LearnedReply,
  OptimumReply,
  SolverRequest,
  WorkerMessage,
} from './protocol.js';
import type { Z3WasmMessage } from './z3-start.js';

export class WorkerError extends Error {
  constructor(
    message: string,
    /** true for bad input (a one-line CLI-style message), false for an internal failure */
    readonly input: boolean,
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}

export type OnProgress = (done: number, total: number, what: string) => void;

class Client<Req> {
  private next = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: OnProgress }
  >();

  constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      const entry = this.pending.get(message.id);
      if (entry === undefined) return;
      if ('progress' in message) {
        entry.progress?.(message.progress.done, message.progress.total, message.progress.what);
        return;
      }
      this.pending.delete(message.id);
      if (message.ok) entry.resolve(message.value);
      else entry.reject(new WorkerError(message.error, message.input));
    };
    worker.onerror = (event) => {
      const error = new WorkerError(`worker failed: ${event.message}`, false);
      for (const entry of this.pending.values()) entry.reject(error);
      this.pending.clear();
    };
  }

  call<T>(request: Req, progress?: OnProgress, transfer: Transferable[] = []): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, progress });
      this.worker.postMessage({ id, request }, transfer);
    });
  }
}

/** Both workers, started by the page's first script before the rest of the page loads. */
export class Workers {
  private readonly solver = new Client<SolverRequest>(
    new Worker(new URL('./solver.worker.ts', import.meta.url), { name: 'solver' }),
  );
  private readonly z3Worker = new Worker(new URL('./z3.worker.ts', import.meta.url), { name: 'z3' });
  private readonly z3 = new Client<CheckRequest>(this.z3Worker);

  constructor() {
    // z3's wasm compiles in a third worker, started by index.html before any module loaded (or
    // here, in a page without that script); the compiled module goes to the z3 worker over a
    // channel of their own, not through this (busy) thread
    const early = (globalThis as { z3Compile?: { worker: Worker; error: string | null } }).z3Compile;
    const compiler =
      early?.worker ?? new Worker(new URL('z3/compile.js', document.baseURI), { name: 'z3 compile' });
    const channel = new MessageChannel();
    compiler.postMessage({ z3WasmPort: channel.port1 }, [channel.port1]);
    this.z3Worker.postMessage({ z3WasmPort: channel.port2 }, [channel.port2]);
    const failed = (reason: string) => {
      const message: Z3WasmMessage = { z3WasmError: `its WebAssembly did not load (${reason})` };
      this.z3Worker.postMessage(message);
    };
    if (early?.error) failed(early.error);
    compiler.onerror = (event) => failed(event.message);
  }

  solve(marketText: string, progress?: OnProgress): Promise<OptimumReply> {
    return this.solver.call({ kind: 'solve', marketText }, progress);
  }

  private early: { text: string; reply: Promise<OptimumReply> } | undefined;

  /**
   * Asks for the opening market's optimum before the UI (and env's reader) has loaded: `text` is
   * the market as the URL or the example gives it. The app takes the reply with takeEarlySolve.
   */
  solveEarly(text: string): void {
    const reply = this.solve(text);
    reply.catch(() => undefined); // an invalid URL market: the app asks again for what it shows
    this.early = { text, reply };
  }

  /** The early reply, once, if `same` says it was for the market the app shows. */
  takeEarlySolve(same: (text: string) => boolean): Promise<OptimumReply> | undefined {
    const early = this.early;
    this.early = undefined;
    return early !== undefined && same(early.text) ? early.reply : undefined;
  }

  learned(request: Omit<Extract<SolverRequest, { kind: 'learned' }>, 'kind'>, progress?: OnProgress) {
    return this.solver.call<LearnedReply>({ kind: 'learned', ...request }, progress);
  }

  check(text: string, name: string, progress?: OnProgress): Promise<CheckReply> {
    return this.z3.call({ kind: 'check', text, name }, progress);
  }
}
