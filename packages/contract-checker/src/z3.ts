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
let disposed = false;

/**
 * The process-wide z3 session, created on first use. Loading the wasm costs a few hundred
 * milliseconds, so checking many contracts must share it rather than re-initialise.
 */
export function z3Session(): Promise<Z3Session> {
  if (disposed) return Promise.reject(new Error('z3 was shut down in this process'));
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
 * Stops z3's worker threads so the process can exit. Safe to call more than once; z3 cannot be
 * used afterwards in this process.
 */
export async function shutdownZ3(): Promise<void> {
  if (session === undefined || disposed) {
    disposed = true;
    return;
  }
  disposed = true;
  await session.catch(() => undefined);
  if (emModule !== undefined) await killThreads(emModule);
}
