import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../test-helpers.js';

const examples = new URL('../../../../examples/', import.meta.url);
const example = () => JSON.parse(readFileSync(new URL('contract-k3.json', examples), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'diffcontract-verify-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: test fixtures edit arbitrary JSON
type File = any;
const edit = (change: (f: File) => unknown) => {
  const file = example();
  change(file);
  return JSON.stringify(file, null, 2);
};

/** [case, file text, expected stderr after "error: bad.json: "] — issue 2's list, then issue 4's. */
const cases: [string, string, string][] = [
  ['invalid JSON', '{"version": 1, "market": {', 'line 1, column 27: invalid JSON'],
  ['missing field', edit((f) => delete f.market.delta), 'market.delta: missing required field'],
  [
    'unknown field',
    edit((f) => (f.contract.period1[0].bonus = 2)),
    'contract.period1[0].bonus: unknown field (2)',
  ],
  ['NaN as a string', edit((f) => (f.market.beta = 'NaN')), 'market.beta: not a finite number ("NaN")'],
  [
    'Infinity as a string',
    edit((f) => (f.market.qMax = 'Infinity')),
    'market.qMax: not a finite number ("Infinity")',
  ],
  ['negative a', edit((f) => (f.market.a = -2)), 'market.a: must be a finite number > 0 (-2)'],
  [
    'unsorted theta',
    edit((f) => (f.market.theta = [0.4, 1, 0.7])),
    'market.theta[2]: must be > theta[1] = 1 (0.7)',
  ],
  [
    'prior summing to 0.9',
    edit((f) => (f.market.prior = [0.3, 0.3, 0.3])),
    'market.prior: must sum to 1 (sum is 0.9)',
  ],
  [
    'transition row summing to 1.1',
    edit((f) => (f.market.transition[2] = [0.2, 0.3, 0.6])),
    'market.transition[2]: must sum to 1 (sum is 1.1)',
  ],
  [
    'K = 0',
    edit((f) => Object.assign(f.market, { theta: [], prior: [], transition: [] })),
    'market.theta: must have at least 1 item ([])',
  ],
  [
    'mismatched K between market and contract',
    edit((f) => f.contract.period2.pop()),
    'contract.period2: must have 3 entries (K = 3)',
  ],
  [
    'item count not matching K',
    edit((f) => f.contract.period2[0].push({ q: 0, reward: 0 })),
    'contract.period2[0]: must have 3 entries (K = 3)',
  ],
  [
    'zero-denominator fraction',
    edit((f) => (f.contract.period1[2].reward = '169/0')),
    'contract.period1[2].reward: fraction with a zero denominator ("169/0")',
  ],
  [
    '"0x10"',
    edit((f) => (f.market.beta = '0x10')),
    'market.beta: must be a number, or a string holding an exact decimal ("0.1") or fraction ("1/3") ("0x10")',
  ],
  [
    '"1/-0"',
    edit((f) => (f.contract.period2[1][1].q = '1/-0')),
    'contract.period2[1][1].q: must be a number, or a string holding an exact decimal ("0.1") or fraction ("1/3") ("1/-0")',
  ],
  ['oversize file', `${edit(() => {})}${' '.repeat(1024 * 1024)}`, 'file too large:'],
];

describe('bad input exits 2 with one line naming file, field and value', () => {
  for (const command of ['solve', 'repair']) {
    it.each(cases)(`${command}: %s`, async (_name, text, expected) => {
      writeFileSync(join(dir, 'bad.json'), text);
      const result = await run([command, 'bad.json'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.startsWith(`error: bad.json: ${expected}`), result.stderr).toBe(true);
      expect(result.stderr.trimEnd()).not.toContain('\n');
    });
  }

  it('names a missing file', async () => {
    const result = await run(['solve', 'missing.json'], { cwd: dir });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: missing.json: cannot read: no such file\n',
    });
  });

  it('repair refuses a market file: it needs a contract', async () => {
    const market = new URL('market-k3.json', examples).pathname;
    const result = await run(['repair', market]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: ${market}: contract: missing required field\n`);
  });

  it('solve validates the contract part of a contract file although it only uses the market', async () => {
    writeFileSync(
      join(dir, 'bad.json'),
      edit((f) => (f.contract.period2[2][0].reward = -1)),
    );
    const result = await run(['solve', 'bad.json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: bad.json: contract.period2[2][0].reward: must be a finite number >= 0 (-1)\n',
    );
  });

  it('shows the stack of a user error only under DIFFCONTRACT_DEBUG=1', async () => {
    writeFileSync(
      join(dir, 'bad.json'),
      edit((f) => (f.market.a = 0)),
    );
    const debug = await run(['solve', 'bad.json'], { cwd: dir, env: { DIFFCONTRACT_DEBUG: '1' } });
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(
      /^error: bad\.json: market\.a: must be a finite number > 0 \(0\)\nModelError: .*\n\s+at /,
    );
  });

  it('exits 2 when --out cannot be written', async () => {
    const market = new URL('market-k3.json', examples).pathname;
    const result = await run(['solve', market, '--out', 'no/such/dir/out.json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: no/such/dir/out.json: cannot write (ENOENT)\n');
  });
});
