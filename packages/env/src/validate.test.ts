import { describe, expect, it } from 'vitest';
import { parseExactNumber, toExactContract, toExactMarket } from './exact.js';
import type { Contract, Market } from './types.js';
import { InputError, ModelError, validateContract, validateMarket } from './validate.js';

const good: Market = {
  theta: [0.4, 0.7, 1.0],
  prior: [0.3, 0.4, 0.3],
  transition: [
    [0.6, 0.3, 0.1],
    [0.2, 0.6, 0.2],
    [0.1, 0.3, 0.6],
  ],
  a: 1,
  beta: 10,
  delta: 0.9,
  qMax: 10,
  esCount: 10,
};

const item = (q: number, reward: number) => ({ q, reward });
const goodContract: Contract = {
  period1: [item(1, 1), item(2, 3), item(3, 5)],
  period2: [0, 1, 2].map(() => [item(1, 1), item(2, 3), item(3, 5)]),
};

function errorOf(f: () => void): ModelError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelError);
    expect(e).toBeInstanceOf(InputError);
    return e as ModelError;
  }
  throw new Error('expected a ModelError');
}

describe('validateMarket', () => {
  it('accepts a good market, float and exact (including an exact prior that floats cannot sum)', () => {
    expect(() => validateMarket(good)).not.toThrow();
    const exact = toExactMarket(good);
    exact.prior = ['1/3', '1/3', '1/3'].map(parseExactNumber);
    expect(() => validateMarket(exact)).not.toThrow();
    expect(() => validateMarket({ ...good, delta: 0 })).not.toThrow();
    expect(() => validateMarket({ ...good, prior: [0.3, 0.4, 0.3 + 5e-10] })).not.toThrow();
  });

  const bad: [string, (m: Market) => void, string, string][] = [
    ['K = 0', (m) => Object.assign(m, { theta: [], prior: [], transition: [] }), 'market.theta', '[]'],
    ['unsorted theta', (m) => (m.theta = [0.4, 1.0, 0.7]), 'market.theta[2]', '0.7'],
    ['equal theta', (m) => (m.theta = [0.4, 0.4, 1]), 'market.theta[1]', '0.4'],
    ['theta <= 0', (m) => (m.theta = [0, 0.7, 1]), 'market.theta[0]', '0'],
    ['NaN theta', (m) => (m.theta = [Number.NaN, 0.7, 1]), 'market.theta[0]', 'NaN'],
    ['prior length', (m) => (m.prior = [0.5, 0.5]), 'market.prior', '[0.5, 0.5]'],
    ['prior sums to 0.9', (m) => (m.prior = [0.3, 0.3, 0.3]), 'market.prior', '[0.3, 0.3, 0.3]'],
    ['prior entry 0', (m) => (m.prior = [0, 0.7, 0.3]), 'market.prior[0]', '0'],
    [
      'row sums to 1.1',
      (m) => (m.transition[1] = [0.3, 0.6, 0.2]),
      'market.transition[1]',
      '[0.3, 0.6, 0.2]',
    ],
    ['negative entry', (m) => (m.transition[2] = [1.1, -0.1, 0]), 'market.transition[2][1]', '-0.1'],
    ['short row', (m) => (m.transition[0] = [0.5, 0.5]), 'market.transition[0]', '[0.5, 0.5]'],
    ['negative a', (m) => (m.a = -1), 'market.a', '-1'],
    ['infinite beta', (m) => (m.beta = Number.POSITIVE_INFINITY), 'market.beta', 'Infinity'],
    ['delta > 1', (m) => (m.delta = 1.5), 'market.delta', '1.5'],
    ['qMax 0', (m) => (m.qMax = 0), 'market.qMax', '0'],
    ['fractional esCount', (m) => (m.esCount = 2.5), 'market.esCount', '2.5'],
    ['esCount 0', (m) => (m.esCount = 0), 'market.esCount', '0'],
  ];
  it.each(bad)('%s -> names %s and its value', (_name, mutate, path, value) => {
    const m = structuredClone(good);
    mutate(m);
    const error = errorOf(() => validateMarket(m));
    expect(error.path).toBe(path);
    expect(error.message.startsWith(`${path}: `)).toBe(true);
    expect(error.message.endsWith(`(${value})`)).toBe(true);
    expect(error.message).not.toContain('\n');
  });

  it('exact markets are checked exactly and render exact values', () => {
    const m = toExactMarket(good);
    m.prior = ['1/3', '1/3', '1/4'].map(parseExactNumber);
    const error = errorOf(() => validateMarket(m));
    expect(error.message).toBe('market.prior: must sum to 1 (sum is 11/12) ([1/3, 1/3, 0.25])');
    m.prior = ['1/3', '1/3', '1/3'].map(parseExactNumber);
    m.theta[1] = parseExactNumber('0.4');
    expect(errorOf(() => validateMarket(m)).message).toMatch(/^market\.theta\[1\]: .* \(0\.4\)$/);
  });

  it('withFile prefixes the file and keeps the class', () => {
    const error = errorOf(() => validateMarket({ ...good, a: -2 })).withFile('m.json');
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toBe('m.json: market.a: must be a finite number > 0 (-2)');
    expect(new InputError({ path: 'market.a', problem: 'missing' }).message).toBe('market.a: missing');
  });
});

describe('validateContract', () => {
  it('accepts a good contract, float and exact', () => {
    expect(() => validateContract(good, goodContract)).not.toThrow();
    expect(() => validateContract(toExactMarket(good), toExactContract(goodContract))).not.toThrow();
    const atBound = structuredClone(goodContract);
    atBound.period1[0] = item(10, 0);
    expect(() => validateContract(good, atBound)).not.toThrow();
  });

  const bad: [string, (c: Contract) => void, string, string][] = [
    ['q > qMax', (c) => (c.period2[1]![2]!.q = 10.5), 'contract.period2[1][2].q', '10.5'],
    ['negative q', (c) => (c.period1[0]!.q = -1), 'contract.period1[0].q', '-1'],
    ['negative reward', (c) => (c.period2[2]![0]!.reward = -0.5), 'contract.period2[2][0].reward', '-0.5'],
    ['NaN reward', (c) => (c.period1[2]!.reward = Number.NaN), 'contract.period1[2].reward', 'NaN'],
    ['K mismatch in period1', (c) => c.period1.pop(), 'contract.period1', ''],
    ['K mismatch in a row', (c) => c.period2[0]!.pop(), 'contract.period2[0]', ''],
    ['missing row', (c) => c.period2.pop(), 'contract.period2', ''],
  ];
  it.each(bad)('%s -> names %s', (_name, mutate, path, value) => {
    const c = structuredClone(goodContract);
    mutate(c);
    const error = errorOf(() => validateContract(good, c));
    expect(error.path).toBe(path);
    expect(error.message.startsWith(`${path}: `)).toBe(true);
    if (value) expect(error.message.endsWith(`(${value})`)).toBe(true);
  });
});
