/**
 * The market editor's fields as text (exact decimals or fractions, as a file may hold them) and
 * their JSON: a value that reads as a JSON number goes in as one, anything else as a string, so
 * env's schema and exact-number rules judge it and word the message as the CLI does.
 */
import { type ExactMarket, formatExact } from '@diffcontract/env';
import { parseMarketText } from './market-text.js';

export interface MarketFields {
  theta: string[];
  prior: string[];
  transition: string[][];
  a: string;
  beta: string;
  delta: string;
  qMax: string;
  esCount: string;
}

export const MAX_TYPES = 5;

export function fieldsOf(market: ExactMarket): MarketFields {
  return {
    theta: market.theta.map(formatExact),
    prior: market.prior.map(formatExact),
    transition: market.transition.map((row) => row.map(formatExact)),
    a: formatExact(market.a),
    beta: formatExact(market.beta),
    delta: formatExact(market.delta),
    qMax: formatExact(market.qMax),
    esCount: String(market.esCount),
  };
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function literal(text: string): string {
  const t = text.trim();
  return JSON_NUMBER.test(t) ? t : JSON.stringify(t);
}

export function fieldsJson(f: MarketFields): string {
  const list = (xs: string[]) => `[${xs.map(literal).join(', ')}]`;
  return [
    `{"theta": ${list(f.theta)}`,
    `"prior": ${list(f.prior)}`,
    `"transition": [${f.transition.map(list).join(', ')}]`,
    `"a": ${literal(f.a)}`,
    `"beta": ${literal(f.beta)}`,
    `"delta": ${literal(f.delta)}`,
    `"qMax": ${literal(f.qMax)}`,
    `"esCount": ${literal(f.esCount)}}`,
  ].join(', ');
}

/** The market the fields describe, or env's one-line message naming the field and the value. */
export function marketOfFields(f: MarketFields): ExactMarket {
  return parseMarketText(fieldsJson(f), 'market editor');
}

/**
 * The fields resized to K types: kept entries stay, new types extend theta upwards, and the prior
 * and transition rows become uniform (the old ones would no longer sum to 1).
 */
export function resizeFields(f: MarketFields, K: number): MarketFields {
  if (K === f.theta.length) return f;
  const theta = Array.from(
    { length: K },
    (_, k) => f.theta[k] ?? String(Number(f.theta.at(-1) ?? '0.2') + 0.1 * (k - f.theta.length + 1)),
  );
  const uniform = () => Array.from({ length: K }, () => `1/${K}`);
  return {
    ...f,
    theta: theta.map((t) => (JSON_NUMBER.test(t) ? String(Number(Number(t).toFixed(6))) : t)),
    prior: uniform(),
    transition: Array.from({ length: K }, uniform),
  };
}
