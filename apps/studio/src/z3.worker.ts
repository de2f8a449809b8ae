/**
 * z3 in a classic worker. z3-solver's browser entry expects `initZ3` as a global, defined by its
 * Emscripten script z3-built.js, which must therefore be loaded as a classic script first; inside a
 * worker it cannot find its own URL, so the script its pthreads start from is handed to it here,
 * with the wasm static/z3-compile.js compiled (src/z3-start.ts).
 */
import { checkContract, z3Session } from '@diffcontract/contract-checker';
import { toFloatContract } from '@diffcontract/env';
import { exactMarketJson, parseFileText } from './market-text.js';
import { mark } from './marks.js';
import type { CheckReply, CheckRequest } from './protocol.js';
import { serve } from './worker-loop.js';
import { fastInitZ3, type InitZ3, type Z3WasmMessage } from './z3-start.js';

const scope = globalThis as unknown as {
  importScripts(...urls: string[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  initZ3?: InitZ3;
  global?: unknown;
  location: { href: string };
};

mark('z3 worker started');
// The compiled wasm comes from static/z3-compile.js over the port the page sends first, or
// the page says that worker failed.
const wasm = new Promise<WebAssembly.Module>((resolve, reject) => {
  const settle = (message: Z3WasmMessage) => {
    if ('z3Wasm' in message) resolve(message.z3Wasm);
    else reject(new Error(`z3: ${message.z3WasmError}`));
  };
  scope.addEventListener('message', ({ data }: MessageEvent) => {
    if (data?.z3WasmPort instanceof MessagePort) {
      const port: MessagePort = data.z3WasmPort;
      port.onmessage = ({ data: message }: MessageEvent<Z3WasmMessage>) => {
        port.close();
        settle(message);
      };
    } else if (typeof data?.z3WasmError === 'string') settle(data);
  });
});
const z3Script = new URL('../z3/z3-built.js', scope.location.href).href;
// the browser entry reads `global.initZ3`
scope.global = globalThis;
scope.importScripts(z3Script);
mark('z3-built.js loaded');
scope.initZ3 = fastInitZ3(scope.initZ3!, wasm, { script: z3Script });

/**
 * z3 starts at once, and a one-type contract is proved while the optimum is being solved, so z3's
 * start-up (a 35 MB wasm) and the lazy compilation of the code a proof runs overlap the solve instead
 * of following it. When a real check is already waiting once z3 is up (the solve won the race), the
 * warm-up proof is skipped: the real proof warms the same code and would only wait behind it.
 */
const WARM_UP = `{"version": 1,
  "market": {"theta": [1], "prior": [1], "transition": [[1]], "a": 1, "beta": 1, "delta": 1, "qMax": 1, "esCount": 1},
  "contract": {"period1": [{"q": 1, "reward": 1}], "period2": [[{"q": 1, "reward": 1}]]}}`;
let checksAsked = 0;
const warm = (async () => {
  await z3Session();
  if (checksAsked > 0) return;
  const file = parseFileText(WARM_UP, 'warm-up');
  await checkContract(file.market, file.contract!);
  mark('z3 warm-up proved');
})().catch(() => undefined);

serve<CheckRequest>(async (request, progress) => {
  const file = parseFileText(request.text, request.name);
  if (file.contract === undefined)
    throw new Error(`${request.name}: a contract file is needed, this is a market file`);
  checksAsked++;
  progress(0, 1, 'proof');
  await warm;
  mark('check start');
  const certificate = await checkContract(file.market, file.contract);
  mark('check end');
  const reply: CheckReply = {
    certificate,
    contract: toFloatContract(file.contract),
    marketText: exactMarketJson(file.market),
  };
  return reply;
});
