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
 * The process-wide z3 session, created on first use. Loading the wasm costs a few hundred
 * milliseconds, so checking many contracts must share it rather than re-initialise.
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
 * Stops z3's worker threads so the process can exit. Safe to call more than once; a later
 * z3Session() starts a fresh session (paying the initialisation again).
 */
export async function shutdownZ3(): Promise<void> {
  const current = session;
  if (current === undefined) return;
  session = undefined;
  await current.catch(() => undefined);
  const em = emModule;
  emModule = undefined;
  if (em !== undefined) await killThreads(em);
}
