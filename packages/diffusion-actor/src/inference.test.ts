/**
 * The `./inference` entry must stay free of tfjs: a user installs the package without tfjs and
 * generates contracts from a saved policy. Walks the entry's static import graph in the sources.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as published from '@diffcontract/diffusion-actor/inference';
import { expect, test } from 'vitest';
import { ActorInference } from './infer.js';

const here = dirname(fileURLToPath(import.meta.url));

function importGraph(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.includes(file)) continue;
    files.push(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|import\s*\(\s*'([^']+)'/g,
    )) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) pending.push(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  }
  return { files, packages };
}

test('the inference entry imports no @tensorflow package, directly or through its modules', () => {
  const { files, packages } = importGraph(join(here, 'inference.ts'));
  expect(files.map((f) => f.slice(here.length + 1)).sort()).toContain('infer.ts');
  expect([...packages].filter((p) => p.startsWith('@tensorflow/'))).toEqual([]);
  expect([...packages].every((p) => p.startsWith('node:'))).toBe(true);
});

test('the main entry does import tfjs (so the graph walk sees package imports)', () => {
  expect(importGraph(join(here, 'index.ts')).packages).toContain('@tensorflow/tfjs');
});

test('the package name resolves the subpath to the same module', () => {
  expect(published.ActorInference).toBe(ActorInference);
});
