import { readFileSync, statSync } from 'node:fs';
import { type SchemaProblem, validateAgainst } from '@diffcontract/specs';
import type Fraction from 'fraction.js';
import { parse } from 'lossless-json';
import { ExactNumberError, parseExactNumber } from '../exact.js';
import { checkFloatRanges } from '../float-range.js';
import type { ContractItem, ExactContract, ExactMarket, Rational } from '../types.js';
import {
  escapeControlCharacters,
  InputError,
  ModelError,
  validateContract,
  validateMarket,
  WrittenNumber,
} from '../validate.js';
import { FileInputError } from './errors.js';
import { findJsonLimitProblem } from './limits.js';

/**
 * Largest model file accepted, in bytes (1 MiB). A K = 30 contract file with exact 50-digit numbers
 * is well under 300 KiB, so anything larger is a mistake or hostile, and refusing it before parsing
 * bounds the memory and time exact arithmetic can take.
 */
export const MAX_MODEL_FILE_BYTES = 1024 * 1024;

export type ModelFileKind = 'market' | 'contract';

interface ModelFileBase {
  market: ExactMarket;
  /** the file's informational meta block, numbers as JS numbers (never trusted as input) */
  meta?: Record<string, unknown>;
  /** an embedded certificate, numbers as JS numbers */
  certificate?: Record<string, unknown>;
}

/** A validated market file (`{version, market}`). */
export interface MarketFile extends ModelFileBase {
  kind: 'market';
  contract?: undefined;
}

/** A validated contract file (model.md section 8): the contract is always there. */
export interface ContractFile extends ModelFileBase {
  kind: 'contract';
  contract: ExactContract;
}

/** A validated market or contract file; `kind` tells which (and narrows `contract`). */
export type ModelFile = MarketFile | ContractFile;

export interface ReadOptions {
  /** 'contract' demands a contract file; 'any' (default) takes either kind. */
  expect?: ModelFileKind | 'any';
  /** name used in error messages (default: the path as given) */
  displayName?: string;
  /**
   * Also refuse numbers the float paths cannot take faithfully (checkFloatRanges): for files that
   * go to solve, repair, certify or evaluation. `check` alone needs no such limit.
   */
  floatRanges?: boolean;
}

/** A JSON number kept as the text it was written as, so it can be read exactly. */
class RawNumber {
  constructor(readonly text: string) {}
}

type Raw = RawNumber | string | boolean | null | Raw[] | { [key: string]: Raw };

/** Plain-JS view of the raw tree (numbers as binary64) for the schema validator. */
function toView(raw: Raw): unknown {
  if (raw instanceof RawNumber) {
    // The schema only asks "is it a number"; a literal beyond binary64 (1e400) is still an exact
    // decimal, so it must not turn into Infinity, which ajv refuses.
    const value = Number(raw.text);
    return Number.isFinite(value) ? value : Math.sign(value) * Number.MAX_VALUE;
  }
  if (Array.isArray(raw)) return raw.map(toView);
  if (raw !== null && typeof raw === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
      // defineProperty so that a "__proto__" key stays a plain (and therefore unknown) field
      Object.defineProperty(out, key, {
        value: toView(value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return raw;
}

function rawAt(raw: Raw, segments: readonly (string | number)[]): Raw | undefined {
  let node: Raw | undefined = raw;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object' || node instanceof RawNumber) return undefined;
    node = (node as Record<string | number, Raw>)[segment];
  }
  return node;
}

/** The value to show in a message: a number as written when binary64 would misrepresent it. */
function shownValue(raw: Raw | undefined): unknown {
  if (raw instanceof RawNumber) {
    const value = Number(raw.text);
    // 1e400 (Infinity) and 1e-400 (0) are not what the file says
    return Number.isFinite(value) && (value !== 0 || !/[1-9]/.test(raw.text))
      ? value
      : new WrittenNumber(raw.text);
  }
  return raw === undefined ? undefined : toView(raw);
}

/** A number in a message as the file writes it ("1e400", not its 401 digits), else the value as found. */
function asWritten(raw: Raw, error: InputError): unknown {
  const segments = [...error.path.matchAll(/[^.[\]]+/g)].map(([s]) => (/^\d+$/.test(s!) ? Number(s) : s!));
  const node = rawAt(raw, segments);
  return node instanceof RawNumber ? new WrittenNumber(node.text) : error.value;
}

function lineAndColumn(text: string, position: number): string {
  let line = 1;
  let column = 1;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  return `line ${line}, column ${column}`;
}

function parseJson(text: string, file: string): Raw {
  try {
    return parse(text, null, {
      parseNumber: (value) => new RawNumber(value),
      onDuplicateKey: ({ key }) => {
        throw new SyntaxError(`duplicate key ${JSON.stringify(key)}`);
      },
    }) as Raw;
  } catch (error) {
    // the parser quotes the offending character as is: a newline or NUL would break the one-line message
    const message = escapeControlCharacters(error instanceof Error ? error.message : String(error));
    const match = /^(.*) at position (\d+)$/.exec(message);
    if (match)
      throw new FileInputError(file, `invalid JSON: ${match[1]}`, lineAndColumn(text, Number(match[2])));
    throw new FileInputError(file, `invalid JSON: ${message}`);
  }
}

function schemaError(file: string, problem: SchemaProblem, raw: Raw): InputError {
  return new InputError({
    file,
    path: problem.path,
    problem: problem.problem,
    value: problem.hasValue ? shownValue(rawAt(raw, problem.segments)) : undefined,
  });
}

function exact(node: Raw, path: string, file: string): Rational {
  const text = node instanceof RawNumber ? node.text : (node as string);
  try {
    return parseExactNumber(text);
  } catch (error) {
    if (!(error instanceof ExactNumberError)) throw error;
    const problem = error.message.slice(0, error.message.length - JSON.stringify(text).length - 2);
    throw new InputError({ file, path, problem, value: shownValue(node) });
  }
}

type RawObject = { [key: string]: Raw };

function exactMarket(raw: RawObject, file: string): ExactMarket {
  const num = (key: string) => exact(raw[key]!, `market.${key}`, file);
  const list = (key: string) => (raw[key] as Raw[]).map((x, i) => exact(x, `market.${key}[${i}]`, file));
  const esCountRaw = raw.esCount!;
  const esCount = Number(esCountRaw instanceof RawNumber ? esCountRaw.text : esCountRaw);
  if (!Number.isSafeInteger(esCount)) {
    throw new InputError({
      file,
      path: 'market.esCount',
      problem: `must be an integer from 1 to ${Number.MAX_SAFE_INTEGER}`,
      value: shownValue(esCountRaw),
    });
  }
  return {
    theta: list('theta'),
    prior: list('prior'),
    transition: (raw.transition as Raw[][]).map((row, i) =>
      row.map((x, j) => exact(x, `market.transition[${i}][${j}]`, file)),
    ),
    a: num('a'),
    beta: num('beta'),
    delta: num('delta'),
    qMax: num('qMax'),
    esCount,
  };
}

function exactContract(raw: RawObject, file: string): ExactContract {
  const item = (node: Raw, path: string): ContractItem<Fraction> => {
    const fields = node as RawObject;
    return { q: exact(fields.q!, `${path}.q`, file), reward: exact(fields.reward!, `${path}.reward`, file) };
  };
  return {
    period1: (raw.period1 as Raw[]).map((x, i) => item(x, `contract.period1[${i}]`)),
    period2: (raw.period2 as Raw[][]).map((row, i) =>
      row.map((x, j) => item(x, `contract.period2[${i}][${j}]`)),
    ),
  };
}

const utf8Encoder = new TextEncoder();

function isRecord(raw: Raw): raw is RawObject {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !(raw instanceof RawNumber);
}

/**
 * Parses and validates the text of a market or contract file: JSON (numbers kept as written),
 * then the whole document against its schema, then the model rules on the exact values.
 * Throws InputError naming the file, the field path and the value.
 */
export function parseModelText(
  text: string,
  fileName: string,
  options: ReadOptions & { expect: 'contract' },
): ContractFile;
export function parseModelText(
  text: string,
  fileName: string,
  options: ReadOptions & { expect: 'market' },
): MarketFile;
export function parseModelText(text: string, fileName: string, options?: ReadOptions): ModelFile;
export function parseModelText(text: string, fileName: string, options: ReadOptions = {}): ModelFile {
  const file = options.displayName ?? fileName;
  // TextEncoder rather than Buffer: the studio parses files in the browser with this same function.
  const bytes = utf8Encoder.encode(text).length;
  if (bytes > MAX_MODEL_FILE_BYTES) {
    throw new FileInputError(
      file,
      `file too large: ${bytes} bytes (limit ${MAX_MODEL_FILE_BYTES} bytes, 1 MiB)`,
    );
  }
  // A byte-order mark is not JSON, but editors add it; it carries no meaning, so drop it.
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const limit = findJsonLimitProblem(json);
  if (limit !== undefined) {
    throw new FileInputError(file, `invalid JSON: ${limit.problem}`, lineAndColumn(json, limit.position));
  }
  const raw = parseJson(json, file);
  const expect = options.expect ?? 'any';
  const kind: ModelFileKind =
    expect === 'any' ? (isRecord(raw) && Object.hasOwn(raw, 'contract') ? 'contract' : 'market') : expect;
  const problems = validateAgainst(kind === 'contract' ? 'contract-file' : 'market-file', toView(raw));
  if (problems.length > 0) throw schemaError(file, problems[0]!, raw);
  const document = raw as RawObject;
  const market = exactMarket(document.market as RawObject, file);
  const contract = kind === 'contract' ? exactContract(document.contract as RawObject, file) : undefined;
  try {
    validateMarket(market);
    if (contract !== undefined) validateContract(market, contract);
    if (options.floatRanges === true) checkFloatRanges(market, contract);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new ModelError({ file, path: error.path, problem: error.problem, value: asWritten(raw, error) });
  }
  const result: ModelFile =
    contract !== undefined ? { kind: 'contract', market, contract } : { kind: 'market', market };
  if (document.meta !== undefined) result.meta = toView(document.meta) as Record<string, unknown>;
  if (document.certificate !== undefined) {
    result.certificate = toView(document.certificate) as Record<string, unknown>;
  }
  return result;
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a file';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a market or contract file from disk; see parseModelText. Synchronous: files are small. */
export function readModelFile(path: string, options: ReadOptions & { expect: 'contract' }): ContractFile;
export function readModelFile(path: string, options: ReadOptions & { expect: 'market' }): MarketFile;
export function readModelFile(path: string, options?: ReadOptions): ModelFile;
export function readModelFile(path: string, options: ReadOptions = {}): ModelFile {
  const file = options.displayName ?? path;
  let bytes: Buffer;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new FileInputError(file, 'cannot read: is a directory, not a file');
    if (stat.size > MAX_MODEL_FILE_BYTES) {
      throw new FileInputError(
        file,
        `file too large: ${stat.size} bytes (limit ${MAX_MODEL_FILE_BYTES} bytes, 1 MiB)`,
      );
    }
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new FileInputError(file, `cannot read: ${describeFsError(error)}`);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new FileInputError(file, 'invalid JSON: not UTF-8 text');
  }
  return parseModelText(text, file, options);
}
