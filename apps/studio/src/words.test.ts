import type { Counterexample } from '@diffcontract/contract-checker';
import { describe, expect, test } from 'vitest';
import { parseMarketText } from './market-text.js';
import { counterexampleWords } from './words.js';

const market = parseMarketText(
  '{"theta": [0.4, 0.7, 1], "prior": [0.3, 0.4, 0.3], "transition": [[0.6, 0.3, 0.1], [0.2, 0.6, 0.2], [0.1, 0.3, 0.6]], "a": 1, "beta": 10, "delta": 0.9, "qMax": 10, "esCount": 10}',
  'm',
);
const value = (fraction: string, decimal: string) => ({
  fraction,
  decimal,
  decimalExact: fraction === decimal,
});
const base = {
  truthful: value('0', '0'),
  deviating: value('0', '0'),
  worst: true,
  exact: true,
  deviation: '',
};

describe('counterexampleWords', () => {
  test('IR1: who stays out, and the exact gain', () => {
    const cx: Counterexample = { ...base, family: 'IR1', type: 0, i: 0, gain: value('1/2', '0.5') };
    expect(counterexampleWords(market, cx).sentence).toBe(
      'An ES of period-1 type θ1 = 0.4 stays out instead of taking its period-1 item (contract.period1[0]), and gains exactly 1/2 (≈ 0.5) in utility: IR1 (period-1 participation) is violated.',
    );
  });

  test('IC2 and IIC: which report, after which history', () => {
    const ic2: Counterexample = {
      ...base,
      family: 'IC2',
      type: 2,
      i: 1,
      j: 2,
      jPrime: 0,
      gain: value('3', '3'),
    };
    const w = counterexampleWords(market, ic2);
    expect(w.who).toBe('an ES that reported θ2 = 0.7 in period 1 and is of period-2 type θ3 = 1');
    expect(w.does).toContain('reports θ1 in period 2');
    expect(w.gain).toBe('3');
    const iic: Counterexample = {
      ...base,
      family: 'IIC',
      type: 1,
      i: 1,
      iPrime: 0,
      sigma: [0, 0, 2],
      gain: value('1/3', '0.3333333333'),
    };
    const words = counterexampleWords(market, iic);
    expect(words.does).toBe(
      'reports θ1 in period 1 and then reports θ1 when of type θ1, θ1 when of type θ2, θ3 when of type θ3',
    );
    expect(words.constraint).toBe('IIC (intertemporal truth-telling)');
    expect(words.gain).toBe('1/3 (≈ 0.3333333333)');
  });
});
