import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shutdownZ3 } from '@diffcontract/contract-checker';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../test-helpers.js';

const examples = new URL('../../../../examples/', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'diffcontract-verify-hostile-'));
const env = { DIFFCONTRACT_KEEP_Z3: '1' };
afterAll(async () => {
  await shutdownZ3();
  rmSync(dir, { recursive: true, force: true });
});

/** The example contract file with some market fields replaced by raw JSON text. */
function contractFile(name: string, fields: Record<string, string>): string {
  const file = JSON.parse(readFileSync(new URL('contract-k3.json', examples), 'utf8'));
  for (const key of Object.keys(fields)) file.market[key] = `@${key}@`;
  let text = JSON.stringify(file);
  for (const [key, raw] of Object.entries(fields)) text = text.replace(`"@${key}@"`, raw);
  writeFileSync(join(dir, name), text);
  return name;
}

// issue 13's markets: they pass the model's rules, so `check` proves or refutes them exactly, but
// the float solver cannot take them
const cases: [string, Record<string, string>, string][] = [
  [
    'a = "1e400"',
    { a: '"1e400"' },
    'market.a: outside [0.01, 100], the range the float solver supports (~1e400)',
  ],
  [
    'a = "1e-400"',
    { a: '"1e-400"' },
    'market.a: outside [0.01, 100], the range the float solver supports (~1e-400)',
  ],
  [
    'beta = 1e300',
    { beta: '1e300' },
    'market.beta: outside [1, 10000], the range the float solver supports (1e300)',
  ],
  [
    'qMax = 1e300',
    { qMax: '1e300' },
    'market.qMax: outside [0.01, 100], the range the float solver supports (1e300)',
  ],
  [
    'theta = ["1e-300", "2e-300", 1]',
    { theta: '["1e-300", "2e-300", 1]' },
    'market.theta[0]: outside [0.01, 100], the range the float solver supports (~1e-300)',
  ],
];

describe('numbers the float solver cannot take', () => {
  it.each(cases)(
    '%s: solve, repair and certify exit 2 before any solver runs',
    async (_name, fields, message) => {
      const file = contractFile('hostile.json', fields);
      for (const command of ['solve', 'repair', 'certify']) {
        const r = await run([command, file], { cwd: dir, env });
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toBe(`error: hostile.json: ${message}\n`);
        expect(r.stdout).toBe('');
      }
    },
  );

  it.each(cases)('%s: check still proves or refutes it on the exact values', async (_name, fields) => {
    const r = await run(['check', contractFile('exact.json', fields)], { cwd: dir, env });
    expect([0, 1], r.stderr).toContain(r.code);
    expect(r.stdout).toMatch(/^exact\.json: (certified|violated) /);
  });
});
