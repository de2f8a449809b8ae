/** One number convention at the entry points: float, exact and string markets give the same answer. */
import {
  formatExact,
  InputError,
  sampleMarkets,
  toDecimalMarket,
  toExactContract,
  toExactMarket,
} from '@diffcontract/env';
import { describe, expect, it } from 'vitest';
import { repairContract } from './repair.js';
import { solveOptimum } from './solve.js';

const market = sampleMarkets(11, 1, { K: 3 })[0]!;
const K = 3;
const item = (q: number, reward: number) => ({ q, reward });
const contract = {
  period1: Array.from({ length: K }, (_, i) => item(0.5 + i, 1 + 2 * i)),
  period2: Array.from({ length: K }, (_, i) =>
    Array.from({ length: K }, (_, j) => item(0.25 * (i + j), i + j)),
  ),
};
const text = (c: { period1: { q: unknown; reward: unknown }[] }) =>
  c.period1.map((it) => `${formatExact(it.q as never)} ${formatExact(it.reward as never)}`).join('; ');

describe('repairContract takes floats, rationals and exact strings alike', () => {
  it('a float market and contract repair exactly as their exact binary64 values do', async () => {
    const fromFloat = await repairContract(market, contract);
    const fromExact = await repairContract(toExactMarket(market), toExactContract(contract));
    expect(text(fromFloat.contract)).toBe(text(fromExact.contract));
    expect(fromFloat.cloudUtility).toBe(fromExact.cloudUtility);
  });

  it('strings are read as written, like the numbers of a file', async () => {
    const asStrings = {
      ...market,
      theta: market.theta.map(String),
      prior: market.prior.map(String),
      transition: market.transition.map((row) => row.map(String)),
      a: String(market.a),
      beta: String(market.beta),
      delta: String(market.delta),
      qMax: String(market.qMax),
    };
    const fromStrings = await repairContract(asStrings, contract);
    const fromDecimal = await repairContract(toDecimalMarket(market), contract);
    expect(text(fromStrings.contract)).toBe(text(fromDecimal.contract));
  });

  it('solveOptimum and repairContract refuse a value of the wrong type with the field path', async () => {
    const bad = { ...market, a: true } as never;
    await expect(repairContract(bad, contract)).rejects.toThrow(InputError);
    await expect(repairContract(bad, contract)).rejects.toThrow(
      /^market\.a: must be a finite number.* \(true\)$/,
    );
    await expect(solveOptimum(bad)).rejects.toThrow(/^market\.a: must be a finite number/);
    const badContract = { ...contract, period1: [item(1, 1), { q: '1/0', reward: 1 }, item(1, 1)] } as never;
    await expect(repairContract(market, badContract)).rejects.toThrow(
      /^contract\.period1\[1\]\.q: must be .* \("1\/0"\)$/,
    );
  });
});
