import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fraction from 'fraction.js';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_DECIMAL_EXPONENT } from '../exact.js';
import { isFeasibleExact } from '../model.js';
import { InputError } from '../validate.js';
import { MAX_MODEL_FILE_BYTES, parseModelText, readModelFile } from './read.js';

const examples = new URL('../../../../examples/', import.meta.url);
const exampleText = (name: string) => readFileSync(new URL(name, examples), 'utf8');
const contractFile = () => JSON.parse(exampleText('contract-k3.json'));

const tmp = mkdtempSync(join(tmpdir(), 'diffcontract-io-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function failure(text: string, options = {}): InputError {
  try {
    parseModelText(text, 'in.json', options);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

/** The example contract file with one change applied, as JSON text. */
function mutated(change: (file: ReturnType<typeof contractFile>) => void): string {
  const file = contractFile();
  change(file);
  return JSON.stringify(file);
}

describe('reading model files', () => {
  it('reads the example market exactly as written', () => {
    const file = readModelFile(new URL('market-k3.json', examples).pathname);
    expect(file.kind).toBe('market');
    expect(file.contract).toBeUndefined();
    // 0.4 is 2/5, not the binary64 0.40000000000000002220446...
    expect(file.market.theta.map((x) => x.toFraction())).toEqual(['2/5', '7/10', '1']);
    expect(file.market.transition[2]![1]!.equals(new Fraction(3, 10))).toBe(true);
    expect(file.market.esCount).toBe(10);
  });

  it('reads the example contract, whose binding constraints hold exactly', () => {
    const file = readModelFile(new URL('contract-k3.json', examples).pathname);
    expect(file.kind).toBe('contract');
    expect(file.contract!.period1[1]!.reward.toFraction()).toBe('30/7');
    expect(isFeasibleExact(file.market, file.contract!)).toBe(true);
    // 30/7 makes type 2 exactly indifferent to item 1 in period 1: 1e-12 less breaks IIC.
    const lower = file.contract!.period1[1]!.reward.sub(new Fraction(1, 10 ** 12));
    file.contract!.period1[1]!.reward = lower;
    expect(isFeasibleExact(file.market, file.contract!)).toBe(false);
  });

  it('distinguishes a decimal from the binary64 nearest to it', () => {
    const text = mutated((f) => {
      f.market.a = 'A';
      f.market.beta = '0.1';
      f.market.qMax = '1e1';
      f.market.delta = '9/10';
      f.market.esCount = '10';
    }).replace('"a":"A"', '"a":0.1000000000000000055511151231257827021181583404541015625');
    const { market } = parseModelText(text, 'x.json');
    expect(market.a.equals(new Fraction(1, 10))).toBe(false);
    expect(market.a.equals(new Fraction(3602879701896397n, 36028797018963968n))).toBe(true);
    expect(market.beta.equals(new Fraction(1, 10))).toBe(true);
    expect(market.qMax.equals(10)).toBe(true);
    expect(market.esCount).toBe(10);
  });

  it('keeps meta and certificate for the caller', () => {
    const text = mutated((f) => {
      f.meta = { cloudUtility: 12.5, source: 'test' };
      f.certificate = { verdict: 'certified' };
    });
    const file = parseModelText(text, 'x.json');
    expect(file.meta).toEqual({ cloudUtility: 12.5, source: 'test' });
    expect(file.certificate).toEqual({ verdict: 'certified' });
  });

  it('accepts a byte-order mark', () => {
    expect(parseModelText(`\ufeff${exampleText('market-k3.json')}`, 'bom.json').kind).toBe('market');
  });
});

// Every bad input of issues 2 and 4: [name, text, expected message after "in.json: "].
const bad: [string, string, string][] = [
  ['invalid JSON', '{"version": 1,\n "market": }', 'line 2, column 12: invalid JSON'],
  ['trailing comma', '{"version": 1,}', 'line 1, column 15: invalid JSON'],
  ['duplicate key', '{"version": 1, "version": 2}', 'invalid JSON: duplicate key "version"'],
  ['root not an object', '[1, 2]', '(root): must be an object ([1, 2])'],
  ['missing field', mutated((f) => delete f.market.beta), 'market.beta: missing required field'],
  [
    'missing contract item field',
    mutated((f) => delete f.contract.period2[1][2].q),
    'contract.period2[1][2].q: missing required field',
  ],
  ['unknown field', mutated((f) => (f.market.gamma = 1)), 'market.gamma: unknown field (1)'],
  ['unknown top-level field', mutated((f) => (f.extra = true)), 'extra: unknown field (true)'],
  [
    'unknown item field',
    mutated((f) => (f.contract.period1[0].bonus = 1)),
    'contract.period1[0].bonus: unknown field (1)',
  ],
  [
    '__proto__ field',
    mutated((f) => Object.defineProperty(f.market, '__proto__', { value: {}, enumerable: true })),
    'market.__proto__: unknown field ({})',
  ],
  ['wrong version', mutated((f) => (f.version = 2)), 'version: must be 1 (2)'],
  ['NaN string', mutated((f) => (f.market.a = 'NaN')), 'market.a: not a finite number ("NaN")'],
  [
    'Infinity string',
    mutated((f) => (f.market.theta[2] = 'Infinity')),
    'market.theta[2]: not a finite number ("Infinity")',
  ],
  [
    '-Infinity string',
    mutated((f) => (f.contract.period1[0].reward = '-Infinity')),
    'contract.period1[0].reward: not a finite number ("-Infinity")',
  ],
  [
    'hex string',
    mutated((f) => (f.market.beta = '0x10')),
    'market.beta: must be a number, or a string holding an exact decimal ("0.1") or fraction ("1/3") ("0x10")',
  ],
  [
    'zero denominator',
    mutated((f) => (f.market.prior[0] = '3/0')),
    'market.prior[0]: fraction with a zero denominator ("3/0")',
  ],
  [
    'negative zero denominator',
    mutated((f) => (f.market.delta = '1/-0')),
    'market.delta: must be a number, or a string holding an exact decimal ("0.1") or fraction ("1/3") ("1/-0")',
  ],
  [
    'number with spaces',
    mutated((f) => (f.market.qMax = ' 10')),
    'market.qMax: must be a number, or a string holding an exact decimal ("0.1") or fraction ("1/3") (" 10")',
  ],
  [
    'boolean number',
    mutated((f) => (f.market.qMax = true)),
    'market.qMax: must be a number, or a string holding an exact decimal ("0.1") or fraction ("1/3") (true)',
  ],
  [
    'exponent out of range',
    mutated((f) => (f.market.qMax = '1e99999')),
    `market.qMax: exponent out of range (|e| <= ${MAX_DECIMAL_EXPONENT}) ("1e99999")`,
  ],
  ['negative a', mutated((f) => (f.market.a = -1)), 'market.a: must be a finite number > 0 (-1)'],
  ['zero beta', mutated((f) => (f.market.beta = '0/5')), 'market.beta: must be a finite number > 0 (0)'],
  ['delta above 1', mutated((f) => (f.market.delta = '11/10')), 'market.delta: must be <= 1 (1.1)'],
  [
    'unsorted theta',
    mutated((f) => (f.market.theta = [0.7, 0.4, 1])),
    'market.theta[1]: must be > theta[0] = 0.7 (0.4)',
  ],
  [
    'equal theta',
    mutated((f) => (f.market.theta = [0.4, '2/5', 1])),
    'market.theta[1]: must be > theta[0] = 0.4 (0.4)',
  ],
  [
    'prior summing to 0.9',
    mutated((f) => (f.market.prior = [0.3, 0.3, 0.3])),
    'market.prior: must sum to 1 (sum is 0.9) ([0.3, 0.3, 0.3])',
  ],
  [
    'transition row summing to 1.1',
    mutated((f) => (f.market.transition[1] = [0.3, 0.6, 0.2])),
    'market.transition[1]: must sum to 1 (sum is 1.1) ([0.3, 0.6, 0.2])',
  ],
  [
    'negative transition entry',
    mutated((f) => (f.market.transition[0] = [1.1, -0.1, 0])),
    'market.transition[0][1]: must be a finite number >= 0 (-0.1)',
  ],
  [
    'K = 0',
    mutated((f) => Object.assign(f.market, { theta: [], prior: [], transition: [] })),
    'market.theta: must have at least 1 item ([])',
  ],
  [
    'prior length not K',
    mutated((f) => (f.market.prior = [0.5, 0.5])),
    'market.prior: must have 3 entries (K = 3) ([0.5, 0.5])',
  ],
  [
    'transition not K x K',
    mutated((f) => f.market.transition[2].pop()),
    'market.transition[2]: must have 3 entries (K = 3) ([0.1, 0.3])',
  ],
  [
    'mismatched K between market and contract',
    mutated((f) => f.contract.period1.pop()),
    'contract.period1: must have 3 entries (K = 3)',
  ],
  [
    'period2 rows not K',
    mutated((f) => f.contract.period2.push(f.contract.period2[0])),
    'contract.period2: must have 3 entries (K = 3)',
  ],
  [
    'period2 row length not K',
    mutated((f) => f.contract.period2[1].pop()),
    'contract.period2[1]: must have 3 entries (K = 3)',
  ],
  [
    'empty period2 row',
    mutated((f) => (f.contract.period2[0] = [])),
    'contract.period2[0]: must have at least 1 item ([])',
  ],
  [
    'q above qMax',
    mutated((f) => (f.contract.period2[2][2].q = '10.5')),
    'contract.period2[2][2].q: must be <= qMax = 10 (10.5)',
  ],
  [
    'negative reward',
    mutated((f) => (f.contract.period1[2].reward = '-1/3')),
    'contract.period1[2].reward: must be a finite number >= 0 (-1/3)',
  ],
  [
    'esCount zero',
    mutated((f) => (f.market.esCount = 0)),
    'market.esCount: must be an integer >= 1 (a JSON integer or a string of decimal digits) (0)',
  ],
  [
    'esCount fractional',
    mutated((f) => (f.market.esCount = 2.5)),
    'market.esCount: must be an integer >= 1 (a JSON integer or a string of decimal digits) (2.5)',
  ],
  [
    'esCount too large',
    mutated((f) => (f.market.esCount = '90071992547409930')),
    'market.esCount: must be an integer from 1 to 9007199254740991 ("90071992547409930")',
  ],
];

describe('bad input is an InputError naming file, path and value', () => {
  it.each(bad)('%s', (_name, text, expected) => {
    const error = failure(text);
    expect(error.message).toContain(`in.json: ${expected}`);
    expect(error.message).not.toContain('\n');
    expect(error.file).toBe('in.json');
  });

  it('validates the contract part even when the caller only needs the market', () => {
    const error = failure(
      mutated((f) => (f.contract.period1[0].q = 'NaN')),
      { expect: 'any' },
    );
    expect(error.path).toBe('contract.period1[0].q');
  });

  it('demands a contract when asked for a contract file', () => {
    expect(failure(exampleText('market-k3.json'), { expect: 'contract' }).message).toBe(
      'in.json: contract: missing required field',
    );
  });

  it('refuses text over the size limit before parsing it', () => {
    const text = `${exampleText('market-k3.json')}${' '.repeat(MAX_MODEL_FILE_BYTES)}`;
    expect(failure(text).message).toBe(
      `in.json: file too large: ${Buffer.byteLength(text)} bytes (limit 1048576 bytes, 1 MiB)`,
    );
  });

  it('reports a value written as a number beyond binary64 as written', () => {
    const text = mutated((f) => (f.market.a = 'X')).replace('"a":"X"', '"a":-1e400');
    expect(failure(text).message).toBe('in.json: market.a: must be a finite number > 0 (-1e400)');
  });
});

describe('readModelFile', () => {
  const write = (name: string, content: string | Buffer) => {
    const path = join(tmp, name);
    writeFileSync(path, content);
    return path;
  };

  it('names a missing file', () => {
    expect(() => readModelFile(join(tmp, 'nope.json'), { displayName: 'nope.json' })).toThrow(
      /^nope\.json: cannot read: no such file$/,
    );
  });

  it('names a directory', () => {
    expect(() => readModelFile(tmp)).toThrow(new InputError({ path: '', problem: '' }).constructor as never);
    expect(() => readModelFile(tmp)).toThrow(`${tmp}: cannot read: is a directory, not a file`);
  });

  it('refuses a file over 1 MiB without reading it', () => {
    const path = write('big.json', Buffer.alloc(MAX_MODEL_FILE_BYTES + 1, 0x20));
    expect(() => readModelFile(path)).toThrow(
      `${path}: file too large: 1048577 bytes (limit 1048576 bytes, 1 MiB)`,
    );
  });

  it('accepts a file of exactly 1 MiB', () => {
    const text = exampleText('market-k3.json');
    const path = write('edge.json', text + ' '.repeat(MAX_MODEL_FILE_BYTES - Buffer.byteLength(text)));
    expect(readModelFile(path).kind).toBe('market');
  });

  it('refuses bytes that are not UTF-8', () => {
    const path = write('latin1.json', Buffer.from([0x7b, 0xff, 0x7d]));
    expect(() => readModelFile(path)).toThrow(`${path}: invalid JSON: not UTF-8 text`);
  });
});
