import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { renderResultsDir } from './figures.js';
import { InputError } from './queue-target.js';

const committed = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/results');
const dir = mkdtempSync(join(tmpdir(), 'experiment-render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('render', () => {
  test('redraws the committed results byte for byte from their results.json (they match their generator)', () => {
    const out = join(dir, 'committed');
    cpSync(join(committed, 'results.json'), join(out, 'results.json'), { recursive: true });
    renderResultsDir(out);
    const drawn = readdirSync(committed).filter((f) => /\.(md|svg)$/.test(f));
    expect(drawn).toContain('README.md');
    expect(drawn.filter((f) => f.endsWith('.svg')).length).toBeGreaterThanOrEqual(10);
    for (const f of drawn)
      expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(committed, f), 'utf8'));
  });

  test('refuses a missing, malformed or foreign results.json with an input error naming it', () => {
    expect(() => renderResultsDir(join(dir, 'none'))).toThrow(InputError);
    const bad = join(dir, 'bad');
    cpSync(join(committed, 'results.json'), join(bad, 'results.json'), { recursive: true });
    writeFileSync(join(bad, 'results.json'), '{"runs": [');
    expect(() => renderResultsDir(bad)).toThrow(/results\.json is not JSON/);
    const res = JSON.parse(readFileSync(join(committed, 'results.json'), 'utf8'));
    res.runs[0].id = 'edmsac-s99';
    writeFileSync(join(bad, 'results.json'), JSON.stringify(res));
    expect(() => renderResultsDir(bad)).toThrow(/run edmsac-s99 .* is not in its recorded design/);
    writeFileSync(join(bad, 'results.json'), JSON.stringify({ version: 1, subset: 'comparison', runs: [] }));
    expect(() => renderResultsDir(bad)).toThrow(/not a full experiment's results\.json/);
  });
});
