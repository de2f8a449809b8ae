import { describe, expect, it } from 'vitest';
import { approximateText, toExactMarket, parseExactNumber as x } from './exact.js';
import { checkFloatRanges, FLOAT_RANGES } from './float-range.js';
import { evaluationSet } from './sampler.js';
import type { ExactContract, ExactMarket } from './types.js';
import { ModelError } from './validate.js';

const base = (): ExactMarket => ({
  theta: [x('0.4'), x('0.7'), x('1')],
  prior: [x('0.3'), x('0.4'), x('0.3')],
  transition: [
    [x('0.6'), x('0.3'), x('0.1')],
    [x('0.2'), x('0.6'), x('0.2')],
    [x('0.1'), x('0.3'), x('0.6')],
  ],
  a: x('1'),
  beta: x('10'),
  delta: x('0.9'),
  qMax: x('10'),
  esCount: 10,
});

function refusal(market: ExactMarket, contract?: ExactContract): string {
  try {
    checkFloatRanges(market, contract);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('checkFloatRanges', () => {
  it("refuses the issue's markets, naming the field, the value and the range", () => {
    const cases: [Partial<ExactMarket>, string][] = [
      [{ a: x('1e400') }, 'market.a: outside [0.01, 100], the range the float solver supports (~1e400)'],
      [{ a: x('1e-400') }, 'market.a: outside [0.01, 100], the range the float solver supports (~1e-400)'],
      [{ beta: x('1e300') }, 'market.beta: outside [1, 10000], the range the float solver supports (~1e300)'],
      [
        { qMax: x('1e300') },
        'market.qMax: outside [0.01, 100], the range the float solver supports (~1e300)',
      ],
      [
        { theta: [x('1e-300'), x('2e-300'), x('1')] },
        'market.theta[0]: outside [0.01, 100], the range the float solver supports (~1e-300)',
      ],
    ];
    for (const [change, message] of cases) expect(refusal({ ...base(), ...change })).toBe(message);
  });

  it('refuses beta theta / a outside its range even when each field is inside its own', () => {
    expect(refusal({ ...base(), a: x('100'), beta: x('1'), theta: [x('0.4'), x('0.7'), x('1')] })).toBe(
      'market.theta[0]: beta * theta[0] / a = 0.004 is outside [0.1, 10000], the range the float solver supports (0.4)',
    );
  });

  it('refuses a tiny positive delta but takes delta = 0', () => {
    expect(refusal({ ...base(), delta: x('1e-8') })).toMatch(/^market\.delta: must be 0 or >= 0\.1 /);
    expect(() => checkFloatRanges({ ...base(), delta: x('0') })).not.toThrow();
  });

  it('refuses probabilities and contract numbers that binary64 turns into 0 or Infinity', () => {
    const tiny = x('1e-400');
    const m = base();
    m.transition[0] = [x('0.6'), tiny, x('0.4').sub(tiny)];
    expect(refusal(m)).toBe(
      'market.transition[0][1]: too small for the float solver: non-zero values must be >= ~2.2e-308 or 0 (~1e-400)',
    );
    const item = { q: x('1'), reward: x('1e309') };
    const contract = {
      period1: [item, item, item],
      period2: [
        [item, item, item],
        [item, item, item],
        [item, item, item],
      ],
    };
    expect(refusal(base(), contract)).toBe(
      'contract.period1[0].reward: too large for the float solver (binary64 holds up to ~1.8e308) (~1e309)',
    );
  });

  it('takes the range ends themselves and every market of the evaluation set', () => {
    const m = base();
    m.a = x(FLOAT_RANGES.a.max);
    m.beta = x(FLOAT_RANGES.beta.max);
    m.qMax = x(FLOAT_RANGES.qMax.min);
    expect(() => checkFloatRanges(m)).not.toThrow();
    for (const market of evaluationSet()) expect(() => checkFloatRanges(toExactMarket(market))).not.toThrow();
  });
});

describe('approximateText', () => {
  it.each([
    ['1e400', '~1e400'],
    ['-1e-400', '~-1e-400'],
    ['123456789012345678901234567890', '~1.234567e29'],
    ['1/3', '~3.333333e-1'],
    ['0', '0'],
  ])('%s -> %s', (text, shown) => expect(approximateText(x(text))).toBe(shown));
});
