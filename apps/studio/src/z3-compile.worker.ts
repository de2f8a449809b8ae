/**
 * Fetches and compiles z3's 35 MB wasm, and nothing else: the bytes stream into V8's compiler
 * through this thread's event loop, which neither the page (rendering) nor the z3 worker (loading
 * its scripts) would keep free. The compiled module goes to the z3 worker over the port the page
 * sends (src/z3-start.ts).
 */
import { mark } from './marks.js';
import type { Z3WasmMessage } from './z3-start.js';

const scope = globalThis as unknown as {
  location: { href: string };
  onmessage: ((event: MessageEvent<{ z3WasmPort: MessagePort }>) => void) | null;
  close(): void;
};

async function compile(url: URL): Promise<Z3WasmMessage> {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
    // a server that does not send application/wasm gets the slower path
    const module = response.headers.get('Content-Type')?.startsWith('application/wasm')
      ? await WebAssembly.compileStreaming(response)
      : await WebAssembly.compile(await response.arrayBuffer());
    mark('z3 wasm compiled');
    return { z3Wasm: module };
  } catch (error) {
    return { z3WasmError: `could not load its WebAssembly (${(error as Error).message})` };
  }
}

// started before the port to the z3 worker arrives; this script is in assets/, z3's files in z3/
const compiled = compile(new URL('../z3/z3-built.wasm', scope.location.href));
scope.onmessage = async ({ data: { z3WasmPort } }) => {
  z3WasmPort.postMessage(await compiled);
  scope.close();
};
