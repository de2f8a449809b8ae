import type { ErrorObject } from 'ajv';

/** One schema violation, located by a path such as `market.theta[2]`. */
export interface SchemaProblem {
  /** Rendered location: `market.theta[2]`, `contract.period2[0][1].reward`, or `(root)`. */
  path: string;
  /** The same location as keys and indices, for looking the value up elsewhere. */
  segments: (string | number)[];
  /** What is wrong, e.g. `unknown field` or `must have at least 1 item`. */
  problem: string;
  /** Whether there is an offending value (a missing field has none). */
  hasValue: boolean;
  /** The offending value as found in the validated data. */
  value?: unknown;
  /** `path: problem (value)`, or `path: problem` when there is no value. */
  message: string;
}

/** Annotation keyword that gives an anyOf/oneOf its human wording instead of every branch's. */
export const PROBLEM_KEYWORD = 'x-problem';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? '(root)' : out;
}

const MAX_VALUE_CHARS = 60;

/** Short one-line rendering of a value for error messages. */
export function renderValue(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (typeof value === 'bigint') text = value.toString();
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

export function renderProblem(path: string, problem: string, hasValue: boolean, value?: unknown): string {
  return hasValue ? `${path}: ${problem} (${renderValue(value)})` : `${path}: ${problem}`;
}

function pointerSegments(instancePath: string, data: unknown): (string | number)[] {
  if (instancePath === '') return [];
  const segments: (string | number)[] = [];
  let node = data;
  for (const raw of instancePath.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : key;
    segments.push(segment);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return segments;
}

function valueAt(data: unknown, segments: readonly (string | number)[]): unknown {
  let node = data;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

const ZERO_DENOMINATOR = /^-?[0-9]+\/0+$/;
const NON_FINITE = /nan|inf/i;

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(error: ErrorObject, value: unknown): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'anyOf':
    case 'oneOf': {
      // Say what is wrong with the common mistakes before restating the grammar.
      if (typeof value === 'string' && ZERO_DENOMINATOR.test(value))
        return 'fraction with a zero denominator';
      if (typeof value === 'string' && NON_FINITE.test(value)) return 'not a finite number';
      const wording = (error.parentSchema as Record<string, unknown> | undefined)?.[PROBLEM_KEYWORD];
      return typeof wording === 'string' ? wording : (error.message ?? 'does not match any allowed form');
    }
    case 'type': {
      const type = String(params.type).split(',');
      return `must be ${type.map(article).join(' or ')}`;
    }
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'minItems': {
      const limit = Number(params.limit);
      return `must have at least ${limit} item${limit === 1 ? '' : 's'}`;
    }
    case 'maxItems': {
      const limit = Number(params.limit);
      return `must have at most ${limit} item${limit === 1 ? '' : 's'}`;
    }
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}

/**
 * Turns ajv's errors (collected with allErrors and verbose) into one problem per location. Branch
 * errors under a failed anyOf/oneOf are dropped in favour of the anyOf's own wording, so a bad
 * number reads as one problem, not three.
 */
export function toProblems(errors: readonly ErrorObject[], data: unknown): SchemaProblem[] {
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const isBranchError = (e: ErrorObject) =>
    alternatives.some(
      (alt) =>
        alt !== e &&
        (e.instancePath === alt.instancePath || e.instancePath.startsWith(`${alt.instancePath}/`)) &&
        e.schemaPath.startsWith(`${alt.schemaPath}/`),
    );
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (isBranchError(error)) continue;
    let segments = pointerSegments(error.instancePath, data);
    let hasValue = true;
    if (error.keyword === 'required') {
      segments = [...segments, String((error.params as { missingProperty: string }).missingProperty)];
      hasValue = false;
    } else if (error.keyword === 'additionalProperties') {
      segments = [...segments, String((error.params as { additionalProperty: string }).additionalProperty)];
    }
    const value = hasValue ? valueAt(data, segments) : undefined;
    const problem =
      error.keyword === 'required'
        ? 'missing required field'
        : error.keyword === 'additionalProperties'
          ? 'unknown field'
          : describe(error, value);
    const path = formatPath(segments);
    const message = renderProblem(path, problem, hasValue, value);
    if (seen.has(message)) continue;
    seen.add(message);
    problems.push({ path, segments, problem, hasValue, ...(hasValue ? { value } : {}), message });
  }
  return problems;
}
