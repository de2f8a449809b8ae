/**
 * Every market and contract the page takes in (the URL, the editor, a chosen file) goes through
 * env's parseModelText, so the page gives the CLI's one-line `where: path: problem (value)`
 * messages and inherits env's input limits.
 */
import {
  createMarketSampler,
  type ExactMarket,
  formatMarketFile,
  type ModelFile,
  parseModelText,
  toDecimalMarket,
} from '@diffcontract/env';
import { URL_PARAMETER } from './opening-market.js';

/** The market given as `?market=<market JSON>` (a bare market object or a market file), or null. */
export function marketFromSearch(search: string): ExactMarket | null {
  const text = new URLSearchParams(search).get(URL_PARAMETER);
  if (text === null) return null;
  return parseMarketText(text, 'URL ?market=');
}

/**
 * A market from JSON text: a market file `{version, market}` or the market object alone. The page's
 * market goes to the float solver, so values it cannot take faithfully are refused here, with the
 * CLI's message naming the field, the supported range and the value.
 */
export function parseMarketText(text: string, name: string): ExactMarket {
  const trimmed = text.trim();
  const isFile = /^\{\s*"(version|market)"\s*:/.test(trimmed);
  // A bare market is wrapped as a market file, so that its paths read `market.theta[1]` as in the CLI.
  const document = isFile ? trimmed : `{"version": 1, "market": ${trimmed}}`;
  return parseModelText(document, name, { expect: 'market', floatRanges: true }).market;
}

/**
 * Whether `text` (a market as the URL, a file or the example gives it) is the market whose exact
 * JSON is `marketText`; text that is no valid market is no market at all.
 */
export function isMarketText(text: string, marketText: string): boolean {
  try {
    return exactMarketJson(parseMarketText(text, 'market')) === marketText;
  } catch {
    return false;
  }
}

export function parseFileText(text: string, name: string): ModelFile {
  return parseModelText(text, name);
}

/** `?market=` with the market's exact JSON, numbers written exactly (no binary64 round trip). */
export function searchForMarket(market: ExactMarket): string {
  return `?${URL_PARAMETER}=${encodeURIComponent(exactMarketJson(market))}`;
}

/** Compact market JSON with every number written as its exact decimal or "p/q" string. */
export function exactMarketJson(market: ExactMarket): string {
  const text = formatMarketFile(market);
  // formatMarketFile writes exact literals; re-emitting them compactly keeps each one verbatim.
  const body = text.slice(text.indexOf('"market"'));
  const inner = body.slice(body.indexOf('{'), body.lastIndexOf('}'));
  return inner.replace(/\s+/g, '');
}

/** A market from the model's sampler (model.md section 6), numbers rounded to 4 decimals for editing. */
export function randomMarket(seed: number, K = 3): ExactMarket {
  const float = createMarketSampler(seed, { K }).next();
  const round = (x: number) => Number(x.toFixed(4));
  // Rounding must keep the prior and each transition row summing to 1: the last entry takes the rest.
  const fix = (row: number[]) => {
    const head = row.slice(0, -1).map(round);
    return [...head, Number((1 - head.reduce((s, x) => s + x, 0)).toFixed(4))];
  };
  const theta = float.theta.map(round);
  return toDecimalMarket({
    ...float,
    theta,
    prior: fix(float.prior),
    transition: float.transition.map(fix),
    a: round(float.a),
    beta: round(float.beta),
    delta: round(float.delta),
  });
}
