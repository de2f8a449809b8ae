/**
 * z3 in a classic worker. z3-solver's browser entry expects `initZ3` as a global, defined by its
 * Emscripten script z3-built.js, which must therefore be loaded as a classic script first; inside a
 * worker it cannot find its own URL, so the wasm's location and the script its pthreads start from
 * are handed to it here.
 */
import { checkContract } from '@diffcontract/contract-checker';
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

/**
 * A one-type contract proved while the optimum is being solved: z3's start-up (a 35 MB wasm) and
 * the lazy compilation of the code a proof runs then overlap the solve instead of following it.
 */
const WARM_UP = `{"version": 1,
  "market": {"theta": [1], "prior": [1], "transition": [[1]], "a": 1, "beta": 1, "delta": 1, "qMax": 1, "esCount": 1},
  "contract": {"period1": [{"q": 1, "reward": 1}], "period2": [[{"q": 1, "reward": 1}]]}}`;
const warm = (async () => {
  const file = parseFileText(WARM_UP, 'warm-up');
  await checkContract(file.market, file.contract!);
})().catch(() => undefined);

serve<CheckRequest>(async (request, progress) => {
  const file = parseFileText(request.text, request.name);
  if (file.contract === undefined)
    throw new Error(`${request.name}: a contract file is needed, this is a market file`);
  progress(0, 1, 'proof');
  await warm;
  const certificate = await checkContract(file.market, file.contract);
  const reply: CheckReply = {
    certificate,
    contract: toFloatContract(file.contract),
    marketText: exactMarketJson(file.market),
  };
  return reply;
});
