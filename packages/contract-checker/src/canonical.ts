import { createHash } from 'node:crypto';
import type { ExactContract, ExactMarket, Rational } from '@diffcontract/env';
import { fractionText } from '@diffcontract/env';

/** Name of the canonical form below; certificates state it next to the hash. */
export const CANONICAL_FORM = 'diffcontract-canonical-v1';

type Canonical = string | number | Canonical[] | { [key: string]: Canonical };

/**
 * The canonical form of a contract file's model content (diffcontract-canonical-v1):
 * `{"contract":{"period1":[...],"period2":[[...]]},"market":{...},"version":1}` where
 * - every market and contract number is a JSON string holding its exact value as a reduced
 *   fraction "p/q" with q > 1, or the integer "p" when q = 1 ("0.50" and "1/2" both become "1/2",
 *   "-0" becomes "0");
 * - esCount and version are JSON integers;
 * - object keys are sorted by code point, there is no whitespace, and nothing else (no meta, no
 *   certificate) is included.
 * Two files that denote the same market and contract therefore hash the same.
 */
export function canonicalText(market: ExactMarket, contract: ExactContract): string {
  const num = (r: Rational): Canonical => fractionText(r);
  const item = (it: { q: Rational; reward: Rational }): Canonical => ({
    q: num(it.q),
    reward: num(it.reward),
  });
  const value: Canonical = {
    contract: {
      period1: contract.period1.map(item),
      period2: contract.period2.map((row) => row.map(item)),
    },
    market: {
      a: num(market.a),
      beta: num(market.beta),
      delta: num(market.delta),
      esCount: market.esCount,
      prior: market.prior.map(num),
      qMax: num(market.qMax),
      theta: market.theta.map(num),
      transition: market.transition.map((row) => row.map(num)),
    },
    version: 1,
  };
  return serialise(value);
}

function serialise(value: Canonical): string {
  if (typeof value === 'string' || typeof value === 'number') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(serialise).join(',')}]`;
  const keys = Object.keys(value).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${serialise(value[k]!)}`).join(',')}}`;
}

/** Lower-case hex SHA-256 of the UTF-8 canonical text. */
export function contractHash(market: ExactMarket, contract: ExactContract): string {
  return createHash('sha256').update(canonicalText(market, contract), 'utf8').digest('hex');
}
