import { formatExact } from '@diffcontract/env';
import { describe, expect, test } from 'vitest';
import { fieldsJson, fieldsOf, marketOfFields, resizeFields } from './editor-model.js';
import { exactMarketJson, randomMarket } from './market-text.js';

describe('market editor fields', () => {
  test('fields of a market give that market back, exactly', () => {
    const market = randomMarket(5, 4);
    expect(exactMarketJson(marketOfFields(fieldsOf(market)))).toBe(exactMarketJson(market));
  });

  test('fractions, decimals and text go in as the file would hold them', () => {
    const fields = fieldsOf(randomMarket(2, 2));
    fields.prior = ['1/4', ' 0.75 '];
    expect(fieldsJson(fields)).toContain('"prior": ["1/4", 0.75]');
    expect(marketOfFields(fields).prior.map(formatExact)).toEqual(['0.25', '0.75']);
  });

  test('a bad field is named with its path and value, as the CLI names it', () => {
    const fields = fieldsOf(randomMarket(2, 3));
    fields.prior = ['0.5', '0.5', '0.5'];
    expect(() => marketOfFields(fields)).toThrow(/^market editor: market\.prior: .*sum/);
    const other = fieldsOf(randomMarket(2, 3));
    other.a = 'abc';
    expect(() => marketOfFields(other)).toThrow(/^market editor: market\.a: .*"abc"/);
    other.a = '1';
    other.esCount = '2.5';
    expect(() => marketOfFields(other)).toThrow(/^market editor: market\.esCount: .*2\.5/);
  });

  test('resizing keeps theta, extends it upwards and gives a valid uniform prior and transition', () => {
    const fields = fieldsOf(randomMarket(8, 2));
    const bigger = resizeFields(fields, 4);
    expect(bigger.theta.slice(0, 2)).toEqual(fields.theta);
    expect(bigger.prior).toEqual(['1/4', '1/4', '1/4', '1/4']);
    const market = marketOfFields(bigger);
    expect(market.theta).toHaveLength(4);
    expect(marketOfFields(resizeFields(bigger, 1)).theta.map(formatExact)).toEqual([fields.theta[0]]);
  });
});
