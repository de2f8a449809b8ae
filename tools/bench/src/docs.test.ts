import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSection, replaceSection, writeSections } from './docs.js';
import { FIGURES, formatScaling, formatTable, medianProfile } from './main.js';

const doc =
  'intro\n<!-- bench:figures -->\nold\n<!-- /bench:figures -->\nprose\n<!-- bench:scaling -->\n<!-- /bench:scaling -->\n';

describe('generated sections of docs/perf.md', () => {
  it('replaces only the named section and keeps the prose', () => {
    const out = replaceSection(doc, 'figures', '| a | b |');
    expect(readSection(out, 'figures')).toBe('| a | b |');
    expect(out.startsWith('intro\n')).toBe(true);
    expect(out).toContain('\nprose\n');
    expect(readSection(out, 'scaling')).toBe('');
  });
  it('refuses a file without the markers', () => {
    expect(() => replaceSection('no markers', 'figures', 'x')).toThrow(/bench:figures/);
    expect(readSection('no markers', 'figures')).toBeNull();
  });
  it('writes atomically and is idempotent', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bench-')), 'perf.md');
    writeFileSync(path, doc);
    writeSections(path, { figures: 'new', scaling: 'grid' });
    const once = readFileSync(path, 'utf8');
    writeSections(path, { figures: 'new', scaling: 'grid' });
    expect(readFileSync(path, 'utf8')).toBe(once);
    expect(readSection(once, 'scaling')).toBe('grid');
  });
});

describe('tables', () => {
  it('the figures table has one row per figure with ratio ours/reference', () => {
    const f = (u: number, g: number, b: number) => ({
      updatesPerSec: u,
      generatePerSec: g,
      generateBatchPerSec: b,
    });
    const text = formatTable({
      machine: {
        cpu: 'X',
        cores: 2,
        node: 'v20',
        backend: 'wasm',
        hidden: 256,
        steps: 5,
        batch: 256,
        seconds: 4,
        reps: 5,
      },
      ours: f(20, 16000, 30000),
      reference: f(25, 1600, 24000),
      ratio: f(0.8, 10, 1.25),
      spread: { ours: f(0.01, 0.02, 0.03), reference: f(0.01, 0.01, 0.01), ratio: f(0.02, 0.02, 0.02) },
    });
    for (const name of FIGURES) expect(text).toContain(`| ${name} |`);
    expect(text).toContain('| updatesPerSec | 20.00 | 25.00 | 0.80 |');
    expect(text).toContain('| generatePerSec | 16000 | 1600 | 10.00 |');
  });
  it('the scaling table gives ms per update and the speed ratio reference/ours', () => {
    const text = formatScaling([{ hidden: 64, batch: 256, oursMs: 10, referenceMs: 5 }], {
      date: 'd',
      seconds: 2,
      cpu: 'X',
      cores: 2,
      node: 'v20',
      loadAverage: { before: [1, 1, 1], after: [1, 1, 1] },
    });
    expect(text).toContain('| hidden 64 | - | 10.0 / 5.0 (0.50) | - |');
  });
});

describe('profile medians', () => {
  it('takes each category and total as the median over runs', () => {
    const run = (total: number, matMul: number) => ({
      wallMsPerUpdate: total * 2,
      cpuMsPerUpdate: total,
      profiledMsPerUpdate: total,
      kernelCallsPerUpdate: 244,
      categories: { matMul, other: total - matMul },
      kernels: [{ name: `k${total}`, msPerUpdate: matMul, callsPerUpdate: 1 }],
    });
    const m = medianProfile([run(50, 30), run(70, 40), run(60, 20)]);
    expect(m.profiledMsPerUpdate).toBe(60);
    expect(m.categories.matMul).toBe(30);
    expect(m.categories.other).toBe(30); // medians are per category: 20, 30, 40
    expect(m.kernels[0]!.name).toBe('k60'); // the run with the median total
  });
});
