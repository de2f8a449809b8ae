/**
 * The markets an evaluation runs on, in both number worlds: a float market is turned into exact
 * rationals through the shortest decimal that reads back to each binary64 (what written files say),
 * so pricing, repair, feasibility and the certificate all speak about the market written down.
 */
import { type ExactMarket, type Market, toDecimalMarket } from '@diffcontract/env';
import { marketKey } from './optimum.js';

/** One market to evaluate on, in both number worlds. */
export interface EvalMarket {
  /** file-name stem of its contract files, e.g. `market-007` */
  name: string;
  market: Market<number>;
  exact: ExactMarket;
}

/** Evaluation markets from float markets (the evaluation set), named market-000, market-001, ... */
export function evalMarketsOf(markets: Market<number>[]): EvalMarket[] {
  const width = Math.max(3, String(markets.length - 1).length);
  return markets.map((market, i) => {
    return { name: `market-${String(i).padStart(width, '0')}`, market, exact: toDecimalMarket(market) };
  });
}

/** Seed of a market's sampled candidates: from its exact text, so it depends on the market alone. */
export function candidateSeed(market: ExactMarket): number {
  return Number.parseInt(marketKey(market).slice(0, 8), 16);
}
