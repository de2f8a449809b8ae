import Fraction from 'fraction.js';
import { approximateText, formatExact } from './exact.js';
import { exactField, type Field, floatField } from './field.js';
import type { Contract, Market } from './types.js';

export interface InputErrorInit {
  /** the file the value came from, when there is one */
  file?: string;
  /** where the value sits, e.g. `market.theta[2]` or `contract.period2[1][2].q` */
  path: string;
  /** what is wrong, e.g. `must be > 0` */
  problem: string;
  /** the offending value; omitted from the message when undefined (a missing field) */
  value?: unknown;
}

/**
 * Messages quote file content (keys, characters the parser stumbled on); a newline or NUL among
 * them must not break a one-line message, so control characters are written as \\uXXXX.
 */
export function escapeControlCharacters(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
    out += control ? `\\u${code.toString(16).padStart(4, '0')}` : c;
  }
  return out;
}

/** A number shown exactly as a file writes it (1e400, where binary64 says Infinity). */
export class WrittenNumber {
  constructor(readonly text: string) {}
}

/** Renders a value for a one-line message: exact numbers in exact notation, long arrays trimmed. */
export function renderValue(value: unknown): string {
  if (value instanceof Fraction) {
    // 1e400 written out has 401 digits: past a line's worth, an approximation says more
    const text = formatExact(value);
    return text.length <= 40 ? text : approximateText(value);
  }
  if (typeof value === 'number') return String(value);
  if (value instanceof WrittenNumber) return value.text;
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const shown = value.slice(0, 8).map(renderValue);
    if (value.length > 8) shown.push('...');
    return `[${shown.join(', ')}]`;
  }
  if (value === null || typeof value !== 'object') return String(value);
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v) => (v instanceof Fraction ? formatExact(v) : v)) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Bad user input. The message is one line: `<file>: <path>: <problem> (<value>)`, the file part
 * absent when there is no file and the value part absent when the value is undefined.
 */
export class InputError extends Error {
  readonly file?: string;
  readonly path: string;
  readonly problem: string;
  readonly value: unknown;
  constructor(init: InputErrorInit) {
    const where = init.file === undefined ? init.path : `${init.file}: ${init.path}`;
    const what = init.value === undefined ? '' : ` (${renderValue(init.value)})`;
    super(`${where}: ${init.problem}${what}`);
    this.name = 'InputError';
    this.file = init.file;
    this.path = init.path;
    this.problem = init.problem;
    this.value = init.value;
  }

  /** The same error attributed to a file (validation does not know where its input came from). */
  withFile(file: string): InputError {
    return new InputError({ file, path: this.path, problem: this.problem, value: this.value });
  }
}

/** Input that is well formed but breaks a rule of the model (model.md section 2/3). */
export class ModelError extends InputError {
  constructor(init: InputErrorInit) {
    super(init);
    this.name = 'ModelError';
  }

  override withFile(file: string): ModelError {
    return new ModelError({ file, path: this.path, problem: this.problem, value: this.value });
  }
}

/** Tolerance on probability sums (prior, transition rows), model.md section 2. */
export const PROBABILITY_SUM_TOLERANCE = 1e-9;
const INVERSE_TOLERANCE = 1_000_000_000;

function fieldFor<N>(sample: N): Field<N> {
  return (typeof sample === 'number' ? floatField : exactField) as unknown as Field<N>;
}

/** A fraction.js value, recognised by shape so that a second copy of the library still counts. */
export function isRational(x: unknown): x is Fraction {
  if (x instanceof Fraction) return true;
  const r = x as { n?: unknown; d?: unknown; compare?: unknown } | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.n === 'bigint' &&
    typeof r.d === 'bigint' &&
    typeof r.compare === 'function'
  );
}

/**
 * Callers from plain JavaScript can pass anything; the field's operations assume its own kind of
 * number, so a string or null must be refused here rather than fail inside them with a TypeError.
 */
function checkElement<N>(field: Field<N>, x: unknown, path: string): void {
  if (field.name === 'float' ? typeof x !== 'number' : !isRational(x)) {
    fail(
      path,
      field.name === 'float'
        ? 'must be a number'
        : 'must be an exact number (a Fraction, as parseExactNumber returns)',
      x,
    );
  }
}

function checkObject(value: unknown, path: string, what: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail(path, `must be ${what}`, value);
}

function fail(path: string, problem: string, value: unknown): never {
  throw new ModelError({ path, problem, value });
}

function checkArray(value: unknown, length: number, path: string): void {
  if (!Array.isArray(value)) fail(path, 'must be an array', value);
  if (value.length !== length) fail(path, `must have ${length} entries (K = ${length})`, value);
}

function checkSumsToOne<N>(field: Field<N>, values: N[], path: string): void {
  let sum = field.zero;
  for (const v of values) sum = field.add(sum, v);
  // |sum - 1| <= 1e-9, written as |sum - 1| * 1e9 <= 1 so the exact field needs no inexact constant.
  const diff = field.sub(sum, field.one);
  const abs = field.lt(diff, field.zero) ? field.neg(diff) : diff;
  if (!field.le(field.mul(abs, field.fromInt(INVERSE_TOLERANCE)), field.one)) {
    fail(path, `must sum to 1 (sum is ${renderValue(sum)})`, values);
  }
}

/**
 * Checks the model rules of model.md section 2 and throws a ModelError naming the first bad field
 * (paths start at `root`, default `market`). Works on float and exact markets alike.
 */
export function validateMarket<N>(market: Market<N>, field?: Field<N>, root = 'market'): void {
  checkObject(market, root, 'a market object {theta, prior, transition, a, beta, delta, qMax, esCount}');
  const f = field ?? fieldFor(market.a);
  const positive = (x: N, path: string) => {
    checkElement(f, x, path);
    if (!f.isFinite(x) || !f.gt(x, f.zero)) fail(path, 'must be a finite number > 0', x);
  };
  const nonNegative = (x: N, path: string) => {
    checkElement(f, x, path);
    if (!f.isFinite(x) || !f.le(f.zero, x)) fail(path, 'must be a finite number >= 0', x);
  };
  const { theta } = market;
  if (!Array.isArray(theta)) fail(`${root}.theta`, 'must be an array', theta);
  const K = theta.length;
  if (K < 1) fail(`${root}.theta`, 'must have at least one type (K >= 1)', theta);
  for (let k = 0; k < K; k++) {
    positive(theta[k]!, `${root}.theta[${k}]`);
    if (k > 0 && !f.gt(theta[k]!, theta[k - 1]!)) {
      fail(`${root}.theta[${k}]`, `must be > theta[${k - 1}] = ${renderValue(theta[k - 1])}`, theta[k]);
    }
  }
  checkArray(market.prior, K, `${root}.prior`);
  for (let k = 0; k < K; k++) positive(market.prior[k]!, `${root}.prior[${k}]`);
  checkSumsToOne(f, market.prior, `${root}.prior`);
  checkArray(market.transition, K, `${root}.transition`);
  for (let i = 0; i < K; i++) {
    const row = market.transition[i]!;
    checkArray(row, K, `${root}.transition[${i}]`);
    for (let j = 0; j < K; j++) nonNegative(row[j]!, `${root}.transition[${i}][${j}]`);
    checkSumsToOne(f, row, `${root}.transition[${i}]`);
  }
  positive(market.a, `${root}.a`);
  positive(market.beta, `${root}.beta`);
  nonNegative(market.delta, `${root}.delta`);
  if (!f.le(market.delta, f.one)) fail(`${root}.delta`, 'must be <= 1', market.delta);
  positive(market.qMax, `${root}.qMax`);
  if (!Number.isSafeInteger(market.esCount) || market.esCount < 1) {
    fail(`${root}.esCount`, 'must be an integer >= 1', market.esCount);
  }
}

/**
 * Checks a contract against a (valid) market: K period-1 items, K rows of K period-2 items,
 * 0 <= q <= qMax and reward >= 0 everywhere. Throws a ModelError naming the first bad field.
 */
export function validateContract<N>(
  market: Market<N>,
  contract: Contract<N>,
  field?: Field<N>,
  root = 'contract',
): void {
  const f = field ?? fieldFor(market.a);
  const K = market.theta.length;
  checkObject(contract, root, 'a contract object {period1, period2}');
  const item = (it: unknown, path: string) => {
    if (it === null || typeof it !== 'object') fail(path, 'must be an item {q, reward}', it);
    const { q, reward } = it as { q: N; reward: N };
    checkElement(f, q, `${path}.q`);
    checkElement(f, reward, `${path}.reward`);
    if (!f.isFinite(q) || !f.le(f.zero, q)) fail(`${path}.q`, 'must be a finite number >= 0', q);
    if (!f.le(q, market.qMax)) fail(`${path}.q`, `must be <= qMax = ${renderValue(market.qMax)}`, q);
    if (!f.isFinite(reward) || !f.le(f.zero, reward)) {
      fail(`${path}.reward`, 'must be a finite number >= 0', reward);
    }
  };
  checkArray(contract.period1, K, `${root}.period1`);
  for (let i = 0; i < K; i++) item(contract.period1[i], `${root}.period1[${i}]`);
  checkArray(contract.period2, K, `${root}.period2`);
  for (let i = 0; i < K; i++) {
    const row = contract.period2[i]!;
    checkArray(row, K, `${root}.period2[${i}]`);
    for (let j = 0; j < K; j++) item(row[j], `${root}.period2[${i}][${j}]`);
  }
}
