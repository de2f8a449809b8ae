/** Cross-origin isolation: z3's WebAssembly threads need SharedArrayBuffer, which needs both. */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
