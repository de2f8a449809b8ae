import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { codeVersion } from './code.js';

test('the commit of this checkout, and nothing outside a git checkout', () => {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const here = codeVersion(root);
  expect(here.commit).toMatch(/^[0-9a-f]{40}$/);
  expect(here.uncommitted.every((l) => /(apps|packages|specs|tools)\//.test(l))).toBe(true);
  const elsewhere = codeVersion(mkdtempSync(join(tmpdir(), 'experiment-nogit-')));
  expect(elsewhere.commit).toBeNull();
  expect(elsewhere.uncommitted).toEqual([]);
});
