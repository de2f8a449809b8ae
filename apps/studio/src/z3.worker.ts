/**
 * z3 in a classic worker. z3-solver's browser entry expects `initZ3` as a global, defined by its
 * Emscripten script z3-built.js, which must therefore be loaded as a classic script first; inside a
 * worker it cannot find its own URL, so the wasm's location and the script its pthreads start from
 * are handed to it here.
 */
import { checkContract, z3Session } from '@diffcontract/contract-checker';
import { toFloatContract } from '@diffcontract/env';
import { exactMarketJson, parseFileText } from './market-text.js';
import type { CheckReply, CheckRequest } from './protocol.js';
import { serve } from './worker-loop.js';

type InitZ3 = (overrides?: Record<string, unknown>) => Promise<unknown>;
const scope = globalThis as unknown as {
  importScripts(...urls: string[]): void;
  initZ3?: InitZ3;
  global?: unknown;
  location: { href: string };
};

const z3Script = new URL('../z3/z3-built.js', scope.location.href).href;
// the browser entry reads `global.initZ3`
scope.global = globalThis;
scope.importScripts(z3Script);
const initZ3 = scope.initZ3!;
scope.initZ3 = (overrides = {}) =>
  initZ3({
    ...overrides,
    locateFile: (file: string) => new URL(file, z3Script).href,
    mainScriptUrlOrBlob: z3Script,
  });

// z3's start-up (a 35 MB wasm) overlaps the optimum's solve instead of following it
void z3Session().catch(() => undefined);

serve<CheckRequest>(async (request, progress) => {
  const file = parseFileText(request.text, request.name);
  if (file.contract === undefined)
    throw new Error(`${request.name}: a contract file is needed, this is a market file`);
  progress(0, 1, 'proof');
  const certificate = await checkContract(file.market, file.contract);
  const reply: CheckReply = {
    certificate,
    contract: toFloatContract(file.contract),
    marketText: exactMarketJson(file.market),
  };
  return reply;
});
