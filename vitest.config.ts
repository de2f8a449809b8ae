import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against workspace sources, never against built output, so `pnpm test` needs no build.
const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));
const specsDir = fileURLToPath(new URL('./specs/', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@diffcontract\/specs$/, replacement: `${specsDir}src/index.ts` },
      { find: /^@diffcontract\/([a-z-]+)$/, replacement: `${packagesDir}$1/src/index.ts` },
      // subpath entries (`@diffcontract/diffusion-actor/inference`) are src/<subpath>.ts
      { find: /^@diffcontract\/([a-z-]+)\/([a-z-]+)$/, replacement: `${packagesDir}$1/src/$2.ts` },
    ],
  },
  test: {
    include: ['**/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
