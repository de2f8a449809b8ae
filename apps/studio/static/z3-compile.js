/**
 * Fetches and compiles z3's 35 MB wasm, and nothing else. A classic worker that index.html starts
 * with an inline script, before any module of the page loads: the compile is the slowest step before
 * the first proof, so it starts first. The bytes stream into V8's compiler through this thread's
 * event loop, which neither the page (rendering) nor the z3 worker (loading its scripts) would keep
 * free. The compiled module goes to the z3 worker over the port the page sends (src/z3-start.ts).
 * Plain JavaScript, copied to dist/z3/ as it is (vite.config.ts), so index.html can name it.
 */
async function compile(url) {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
    // a server that does not send application/wasm gets the slower path
    const module = response.headers.get('Content-Type')?.startsWith('application/wasm')
      ? await WebAssembly.compileStreaming(response)
      : await WebAssembly.compile(await response.arrayBuffer());
    performance.mark('studio:z3 wasm compiled');
    return { z3Wasm: module };
  } catch (error) {
    return { z3WasmError: `could not load its WebAssembly (${error.message})` };
  }
}

// started before the port to the z3 worker arrives; this script sits beside z3's files
const compiled = compile(new URL('z3-built.wasm', self.location.href));
self.onmessage = async ({ data: { z3WasmPort } }) => {
  z3WasmPort.postMessage(await compiled);
  self.close();
};
