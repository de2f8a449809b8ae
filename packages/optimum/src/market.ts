import {
  type ExactMarket,
  type Market,
  type Rational,
  toExactMarket,
  toFloatMarket,
  validateMarket,
} from '@diffcontract/env';

/** A market given either as floats or as exact rationals (a file's numbers as written). */
export type AnyMarket = Market<number> | ExactMarket;

export interface MarketPair {
  float: Market<number>;
  exact: ExactMarket;
}

function isFloatMarket(market: AnyMarket): market is Market<number> {
  return typeof market.a === 'number';
}

/**
 * Float view for the LPs and exact view for feasibility. An exact market stays as written (so the
 * result is feasible for the numbers in the file); a float market is taken at its binary64 values.
 */
export function marketPair(market: AnyMarket): MarketPair {
  validateMarket(market as Market<number | Rational>);
  return isFloatMarket(market)
    ? { float: market, exact: toExactMarket(market) }
    : { float: toFloatMarket(market), exact: market };
}
