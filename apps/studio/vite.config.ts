import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { ISOLATION_HEADERS } from './scripts/headers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const shim = (name: string) => join(here, 'src/shims', name);
// the same z3-solver version as contract-checker's (both pin it)
const z3Dir = dirname(createRequire(import.meta.url).resolve('z3-solver/build/z3-built.js'));
const Z3_FILES = ['z3-built.js', 'z3-built.wasm'];

/**
 * z3's Emscripten build is loaded by a classic script (it defines the global initZ3 and starts its
 * pthread workers from its own URL), so it ships as two plain files under z3/ rather than through the
 * bundle; beside them the worker that compiles the wasm, which index.html starts by a fixed name.
 */
function z3Files(): Plugin {
  return {
    name: 'studio-z3-files',
    writeBundle(options) {
      const out = join(options.dir ?? join(here, 'dist'), 'z3');
      mkdirSync(out, { recursive: true });
      for (const name of Z3_FILES) copyFileSync(join(z3Dir, name), join(out, name));
      copyFileSync(join(here, 'static/z3-compile.js'), join(out, 'compile.js'));
    },
  };
}

export default defineConfig({
  base: './',
  root: here,
  // the shared packages are bundled from their TypeScript sources, so the studio needs no prior build
  resolve: {
    conditions: ['@diffcontract/source', 'browser', 'module', 'import', 'default'],
    alias: [
      // Browser stand-ins for the few Node built-ins the shared packages touch (schema files, the
      // contract hash, z3's version); see README.md.
      { find: /^node:fs$/, replacement: shim('fs.ts') },
      { find: /^node:url$/, replacement: shim('url.ts') },
      { find: /^node:crypto$/, replacement: shim('crypto.ts') },
      { find: /^node:module$/, replacement: shim('module.ts') },
      { find: /^node:path$/, replacement: shim('path.ts') },
    ],
  },
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  // classic workers: the z3 worker must importScripts z3's Emscripten script before the solver loads
  worker: { format: 'iife', rollupOptions: { output: { inlineDynamicImports: true } } },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  preview: { headers: ISOLATION_HEADERS },
  plugins: [z3Files()],
});
