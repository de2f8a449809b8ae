/**
 * One number convention at the public boundary. Functions that decide exactly (repair, proofs)
 * compute on rationals, but callers hold floats (a sampler's market, a decoded action), rationals
 * (a file read exactly) or text; exactMarketOf / exactContractOf take any of them, field by field.
 */
import Fraction from 'fraction.js';
import { ExactNumberError, exactFromNumber, parseExactNumber } from './exact.js';
import type { Contract, ContractItem, ExactContract, ExactMarket, Market, Rational } from './types.js';
import { ModelError } from './validate.js';

/**
 * A number as the public functions accept it: a JS number means its exact binary64 value (0.1 is
 * 3602879701896397/2^55, as `toExactMarket` takes it); a rational (fraction.js) is taken as is; a
 * string is read exactly as written, like a number in a file (`"0.1"` is 1/10, `"1/3"`).
 */
export type NumberInput = number | Rational | string;

/** A market whose numbers are floats, rationals or exact strings, in any mix. */
export type MarketInput = Market<NumberInput>;

/** A contract whose numbers are floats, rationals or exact strings, in any mix. */
export type ContractInput = Contract<NumberInput>;

const EXPECTED = 'must be a finite number, a fraction.js rational or an exact number string ("0.1", "1/3")';

/** A rational from another copy of fraction.js (the user's own dependency) has the same fields. */
function isForeignFraction(x: unknown): x is { s: bigint; n: bigint; d: bigint } {
  if (x === null || typeof x !== 'object') return false;
  const f = x as Record<string, unknown>;
  return typeof f.s === 'bigint' && typeof f.n === 'bigint' && typeof f.d === 'bigint' && f.d !== 0n;
}

/** The exact value of one boundary number; ModelError (an InputError) naming `path` and the value otherwise. */
export function exactNumberOf(x: unknown, path: string): Rational {
  if (x instanceof Fraction) return x;
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new ModelError({ path, problem: EXPECTED, value: x });
    return exactFromNumber(x);
  }
  if (typeof x === 'string') {
    try {
      return parseExactNumber(x);
    } catch (error) {
      if (error instanceof ExactNumberError) throw new ModelError({ path, problem: EXPECTED, value: x });
      throw error;
    }
  }
  if (isForeignFraction(x)) return new Fraction(x.s * x.n, x.d);
  throw new ModelError({ path, problem: EXPECTED, value: x });
}

function listOf(x: unknown, path: string): unknown[] {
  if (!Array.isArray(x)) throw new ModelError({ path, problem: 'must be an array', value: x });
  return x;
}

function recordOf(x: unknown, path: string): Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) {
    throw new ModelError({ path, problem: 'must be an object', value: x });
  }
  return x as Record<string, unknown>;
}

/**
 * The market with every number exact (see NumberInput). Only the number types are checked here;
 * shapes and ranges are validateMarket's, which the exact entry points run on the result.
 */
export function exactMarketOf(market: MarketInput, path = 'market'): ExactMarket {
  const m = recordOf(market, path);
  const num = (key: string) => exactNumberOf(m[key], `${path}.${key}`);
  const vector = (key: string) =>
    listOf(m[key], `${path}.${key}`).map((x, i) => exactNumberOf(x, `${path}.${key}[${i}]`));
  return {
    theta: vector('theta'),
    prior: vector('prior'),
    transition: listOf(m.transition, `${path}.transition`).map((row, i) =>
      listOf(row, `${path}.transition[${i}]`).map((x, j) =>
        exactNumberOf(x, `${path}.transition[${i}][${j}]`),
      ),
    ),
    a: num('a'),
    beta: num('beta'),
    delta: num('delta'),
    qMax: num('qMax'),
    esCount: m.esCount as number,
  };
}

function itemOf(x: unknown, path: string): ContractItem<Rational> {
  const it = recordOf(x, path);
  return { q: exactNumberOf(it.q, `${path}.q`), reward: exactNumberOf(it.reward, `${path}.reward`) };
}

/** The contract with every number exact (see NumberInput); shapes are validateContract's. */
export function exactContractOf(contract: ContractInput, path = 'contract'): ExactContract {
  const c = recordOf(contract, path);
  return {
    period1: listOf(c.period1, `${path}.period1`).map((x, i) => itemOf(x, `${path}.period1[${i}]`)),
    period2: listOf(c.period2, `${path}.period2`).map((row, i) =>
      listOf(row, `${path}.period2[${i}]`).map((x, j) => itemOf(x, `${path}.period2[${i}][${j}]`)),
    ),
  };
}
