import {
  type ExactMarket,
  exactMarketOf,
  type Market,
  type MarketInput,
  toFloatMarket,
  validateMarket,
} from '@diffcontract/env';

/**
 * A market given as floats, exact rationals (a file's numbers as written) or exact strings, in any
 * mix: env's MarketInput (a float is its exact binary64 value).
 */
export type AnyMarket = MarketInput;

export interface MarketPair {
  float: Market<number>;
  exact: ExactMarket;
}

/**
 * Float view for the LPs and exact view for feasibility. An exact market stays as written (so the
 * result is feasible for the numbers in the file); a float market is taken at its binary64 values.
 */
export function marketPair(market: AnyMarket): MarketPair {
  const exact = exactMarketOf(market);
  validateMarket(exact);
  // a binary64 converts to its exact value and back to itself, so a float market keeps its floats
  return { float: toFloatMarket(exact), exact };
}
