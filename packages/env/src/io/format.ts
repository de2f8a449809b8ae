import Fraction from 'fraction.js';
import { formatExact } from '../exact.js';
import type { Contract, Market, Rational } from '../types.js';

/** A number to write: an exact rational, or a binary64 written as its shortest round-trip decimal. */
export type WritableNumber = Rational | number;

export interface ContractFileContent {
  market: Market<WritableNumber>;
  contract: Contract<WritableNumber>;
  /** informational figures (see specs/contract-file.schema.json for the allowed keys) */
  meta?: Record<string, WritableNumber | string | boolean>;
  /** a certificate (the checker's `Certificate`, or one read from a file); any JSON-like object */
  certificate?: object;
}

/**
 * JSON text of one number. A rational with a finite decimal expansion is written as a JSON number
 * with every digit (0.1 stays 0.1, 1/8 becomes 0.125); any other rational as a "p/q" string. Both
 * re-read to the identical rational. A binary64 is written as JavaScript prints it (the shortest
 * decimal that rounds back to it), which is what the file then says exactly.
 */
export function formatNumberLiteral(x: WritableNumber): string {
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new RangeError(`cannot write a non-finite number (${x})`);
    return JSON.stringify(x);
  }
  // formatExact writes a plain decimal (never an exponent) or "p/q"; a plain decimal is valid JSON.
  const text = formatExact(x);
  if (text.includes('/')) return JSON.stringify(text);
  return text.length > COMPACT_FROM ? compactDecimal(text) : text;
}

/** Plain decimals longer than this are written with an exponent when that is shorter. */
const COMPACT_FROM = 32;

/**
 * 1e400 written out is 401 digits, more than a reader accepts in one token, so a file the reader
 * took would not read back after writing. Integer digits with an exponent ("1e400", "25e-5001")
 * denote the same rational in about as many characters as the input used.
 */
function compactDecimal(text: string): string {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const all = `${whole}${fraction}`.replace(/^0+/, '');
  const significant = all.replace(/0+$/, '');
  const exponent = all.length - significant.length - fraction.length;
  const compact = `${negative ? '-' : ''}${significant}e${exponent}`;
  return compact.length < text.length ? compact : text;
}

const INDENT = '  ';
const WIDTH = 100;

type Json = { literal: string } | Json[] | { entries: [string, Json][] };

function toJson(value: unknown, path: string): Json {
  if (value instanceof Fraction || typeof value === 'number') return { literal: formatNumberLiteral(value) };
  if (typeof value === 'bigint') return { literal: value.toString() };
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) {
    return { literal: JSON.stringify(value) };
  }
  if (Array.isArray(value)) return value.map((v, i) => toJson(v, `${path}[${i}]`));
  if (typeof value === 'object') {
    const entries: [string, Json][] = [];
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) entries.push([key, toJson(v, `${path}.${key}`)]);
    }
    return { entries };
  }
  throw new TypeError(`cannot write ${typeof value} at ${path}`);
}

function inline(node: Json): string {
  if (Array.isArray(node)) return `[${node.map(inline).join(', ')}]`;
  if ('literal' in node) return node.literal;
  return `{${node.entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(', ')}}`;
}

/** A small record of plain values (a contract item {q, reward}) reads best on one line, however long. */
function isSmallRecord(node: Json): boolean {
  return (
    !Array.isArray(node) &&
    'entries' in node &&
    node.entries.length <= 4 &&
    node.entries.every(([, v]) => 'literal' in v)
  );
}

/** Containers that fit the line are written on one line (a theta list, a contract item, a row). */
function render(node: Json, indent: string, used: number): string {
  const flat = inline(node);
  if ('literal' in node || isSmallRecord(node) || indent.length + used + flat.length <= WIDTH) return flat;
  const inner = indent + INDENT;
  if (Array.isArray(node)) {
    if (node.length === 0) return '[]';
    return `[\n${node.map((v) => inner + render(v, inner, 0)).join(',\n')}\n${indent}]`;
  }
  if (node.entries.length === 0) return '{}';
  const lines = node.entries.map(([k, v]) => {
    const key = `${JSON.stringify(k)}: `;
    return inner + key + render(v, inner, key.length);
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

function orderedMarket(m: Market<WritableNumber>) {
  return {
    theta: m.theta,
    prior: m.prior,
    transition: m.transition,
    a: m.a,
    beta: m.beta,
    delta: m.delta,
    qMax: m.qMax,
    esCount: m.esCount,
  };
}

function orderedContract(c: Contract<WritableNumber>) {
  const item = (it: { q: WritableNumber; reward: WritableNumber }) => ({ q: it.q, reward: it.reward });
  return { period1: c.period1.map(item), period2: c.period2.map((row) => row.map(item)) };
}

/** Formats any JSON-like value (numbers as in formatNumberLiteral), with a trailing newline. */
export function formatJson(value: unknown): string {
  return `${render(toJson(value, '(root)'), '', 0)}\n`;
}

/**
 * The text of a contract file (model.md section 8): `{version: 1, market, contract, meta?,
 * certificate?}` with fields in the documented order. Reading it back with parseModelText gives the
 * identical rationals.
 */
export function formatContractFile(content: ContractFileContent): string {
  const document: Record<string, unknown> = {
    version: 1,
    market: orderedMarket(content.market),
    contract: orderedContract(content.contract),
  };
  if (content.meta !== undefined) document.meta = content.meta;
  if (content.certificate !== undefined) document.certificate = content.certificate;
  return formatJson(document);
}

/** The text of a market file `{version: 1, market}`. */
export function formatMarketFile(market: Market<WritableNumber>): string {
  return formatJson({ version: 1, market: orderedMarket(market) });
}
