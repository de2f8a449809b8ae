import { formatExact, parseModelText, validateMarket } from '@diffcontract/env';
import { describe, expect, test } from 'vitest';
import {
  exactMarketJson,
  isMarketText,
  marketFromSearch,
  parseMarketText,
  randomMarket,
  searchForMarket,
} from './market-text.js';
import { EXAMPLE_MARKET_TEXT, openingMarketText } from './opening-market.js';

const BARE =
  '{"theta": [0.4, "7/10", 1], "prior": ["1/3", "1/3", "1/3"], "transition": [[0.6, 0.3, 0.1], [0.2, 0.6, 0.2], [0.1, 0.3, 0.6]], "a": 1, "beta": 10, "delta": 0.9, "qMax": 10, "esCount": 10}';

describe('the market in the URL', () => {
  test('round-trips exactly: fractions stay fractions, decimals stay decimals', () => {
    const market = parseMarketText(BARE, 'test');
    const again = marketFromSearch(searchForMarket(market))!;
    expect(again.prior.map(formatExact)).toEqual(['1/3', '1/3', '1/3']);
    expect(again.theta.map(formatExact)).toEqual(['0.4', '0.7', '1']);
    expect(exactMarketJson(again)).toBe(exactMarketJson(market));
    expect(again.esCount).toBe(10);
  });

  test('takes a bare market or a whole market file; no parameter is null', () => {
    const file = `{"version": 1, "market": ${BARE}}`;
    expect(exactMarketJson(parseMarketText(file, 'x'))).toBe(exactMarketJson(parseMarketText(BARE, 'x')));
    expect(marketFromSearch('?other=1')).toBeNull();
  });

  test('the opening market, sent before the page can read markets, is matched to the one it shows', () => {
    const shown = exactMarketJson(parseMarketText(BARE, 'x'));
    // as the URL carries it (encoded by searchForMarket, or typed as a bare market or a file)
    const url = openingMarketText(searchForMarket(parseMarketText(BARE, 'x')));
    expect(isMarketText(url, shown)).toBe(true);
    expect(isMarketText(`{"version": 1, "market": ${BARE}}`, shown)).toBe(true);
    expect(openingMarketText('')).toBe(EXAMPLE_MARKET_TEXT);
    expect(isMarketText(EXAMPLE_MARKET_TEXT, shown)).toBe(false);
    // one number changed, or no valid market at all
    expect(isMarketText(BARE.replace('"beta": 10', '"beta": 11'), shown)).toBe(false);
    expect(isMarketText('{"theta": [', shown)).toBe(false);
    expect(isMarketText(BARE.replace('"a": 1', '"a": -1'), shown)).toBe(false);
  });

  test("values the float solver cannot take get the CLI's range message (issue 13), before any solver", () => {
    const huge = BARE.replace('"beta": 10', '"beta": 1e300');
    expect(() => parseMarketText(huge, 'URL ?market=')).toThrow(
      'URL ?market=: market.beta: outside [1, 10000], the range the float solver supports (1e300)',
    );
  });

  test("bad markets get the CLI's one-line message with the field path", () => {
    const bad = BARE.replace('"7/10"', '0.3');
    expect(() => marketFromSearch(`?market=${encodeURIComponent(bad)}`)).toThrow(
      'URL ?market=: market.theta[1]: must be > theta[0] = 0.4 (0.3)',
    );
    // the same words as reading a market file with env (what `verify` does)
    let cli = '';
    try {
      parseModelText(`{"version": 1, "market": ${bad}}`, 'URL ?market=');
    } catch (e) {
      cli = (e as Error).message;
    }
    expect(() => parseMarketText(bad, 'URL ?market=')).toThrow(cli);
    expect(() => parseMarketText(BARE.replace('"esCount": 10', '"esCount": 0'), 'm')).toThrow(
      /^m: market\.esCount: /,
    );
    expect(() => parseMarketText('{"theta": [1]', 'm')).toThrow(/^m: .*invalid JSON/);
  });
});

describe('randomMarket', () => {
  test('valid for every K, reproducible from its seed, different across seeds', () => {
    for (let K = 1; K <= 5; K++) {
      const market = randomMarket(K * 7, K);
      expect(market.theta).toHaveLength(K);
      expect(() => validateMarket(market)).not.toThrow();
      expect(market.prior.reduce((s, p) => s.add(p)).valueOf()).toBe(1);
      for (const row of market.transition) expect(row.reduce((s, p) => s.add(p)).valueOf()).toBe(1);
    }
    expect(exactMarketJson(randomMarket(3))).toBe(exactMarketJson(randomMarket(3)));
    expect(exactMarketJson(randomMarket(3))).not.toBe(exactMarketJson(randomMarket(4)));
  });
});
