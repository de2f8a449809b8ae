import { createRequire } from 'node:module';
import { type Context, init, killThreads } from 'z3-solver';

/** One context name for the whole process: every contract is checked in the same z3 context. */
export type Ctx = Context<'diffcontract'>;

export interface SolverInfo {
  name: 'z3';
  /** version reported by the z3 engine inside the wasm build */
  version: string;
  /** the npm binding that carries it */
  binding: string;
}

export interface Z3Session {
  ctx: Ctx;
  /** low-level API, for numerals z3 only knows as algebraic numbers */
  low: Awaited<ReturnType<typeof init>>['Z3'];
  info: SolverInfo;
}

let session: Promise<Z3Session> | undefined;
let emModule: unknown;
/**
 * The end of the queue of work on the shared context. z3's wasm build is not re-entrant: two
 * checks whose solver calls overlap corrupt each other's memory (out-of-bounds accesses, models
 * that contradict the assertions, hangs), so every use of the context waits for the one before.
 */
let tail: Promise<unknown> = Promise.resolve();

function enqueue<T>(work: () => Promise<T>): Promise<T> {
  const run = tail.then(work);
  tail = run.catch(() => undefined);
  return run;
}

/**
 * The process-wide z3 session, created on first use. Loading the wasm costs a few hundred
 * milliseconds, so checking many contracts must share it rather than re-initialise. Callers that
 * use the context themselves must do it inside withZ3, or overlap with checks running elsewhere.
 */
export function z3Session(): Promise<Z3Session> {
  session ??= (async () => {
    const api = await init();
    emModule = api.em;
    const require = createRequire(import.meta.url);
    const pkg = require('z3-solver/package.json') as { version: string };
    const ctx = new api.Context('diffcontract');
    return {
      ctx,
      low: api.Z3,
      info: { name: 'z3', version: api.getVersionString(), binding: `z3-solver@${pkg.version}` },
    };
  })();
  return session;
}

/**
 * Runs `work` on the shared session once every earlier piece of queued work has finished, so
 * overlapping callers (Promise.all over many checks) never use the context at the same time.
 * Everything in this package that touches z3 goes through here.
 */
export function withZ3<T>(work: (session: Z3Session) => Promise<T>): Promise<T> {
  return enqueue(async () => work(await z3Session()));
}

/**
 * Stops z3's worker threads so the process can exit. Safe to call more than once; a later
 * z3Session() starts a fresh session (paying the initialisation again). Queued like a check, so
 * checks still in flight finish first instead of losing their threads.
 */
export function shutdownZ3(): Promise<void> {
  return enqueue(stopSession);
}

async function stopSession(): Promise<void> {
  const current = session;
  if (current === undefined) return;
  session = undefined;
  await current.catch(() => undefined);
  const em = emModule;
  emModule = undefined;
  if (em !== undefined) await killThreads(em);
}
