import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findJsonLimitProblem, MAX_JSON_DEPTH, MAX_JSON_TOKEN_LENGTH } from './limits.js';
import { parseModelText } from './read.js';

const example = readFileSync(new URL('../../../../examples/contract-k3.json', import.meta.url), 'utf8');

function message(text: string): string {
  try {
    parseModelText(text, 'in.json');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('JSON depth and token limits', () => {
  it('100,000 nested brackets get the depth message, not a stack overflow', () => {
    expect(message(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBe(
      `in.json: line 1, column ${MAX_JSON_DEPTH + 1}: invalid JSON: nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`,
    );
  });

  it('counts brackets inside strings as text', () => {
    expect(findJsonLimitProblem(JSON.stringify({ note: '['.repeat(1000) }))).toBeUndefined();
    const depth = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(findJsonLimitProblem(depth(MAX_JSON_DEPTH))).toBeUndefined();
    expect(findJsonLimitProblem(depth(MAX_JSON_DEPTH + 1))?.position).toBe(MAX_JSON_DEPTH);
  });

  it('limits strings and number literals, escapes included', () => {
    const at = (value: string) => example.replace('"a": 1', `"a": ${value}`);
    expect(message(at(`"${'1'.repeat(MAX_JSON_TOKEN_LENGTH + 1)}"`))).toMatch(
      /^in\.json: line \d+, column \d+: invalid JSON: string longer than 4096 characters$/,
    );
    expect(message(at('1'.repeat(MAX_JSON_TOKEN_LENGTH + 1)))).toMatch(
      /invalid JSON: number longer than 4096 characters$/,
    );
    expect(findJsonLimitProblem(`["${'\\"'.repeat(MAX_JSON_TOKEN_LENGTH / 2 - 1)}"]`)).toBeUndefined();
    expect(findJsonLimitProblem(`["${'\\"'.repeat(MAX_JSON_TOKEN_LENGTH / 2 + 1)}"]`)?.problem).toMatch(
      /^string/,
    );
  });

  it('leaves a valid file alone, and a long-but-legal exact number', () => {
    expect(findJsonLimitProblem(example)).toBeUndefined();
    // as long as the exact value of the smallest subnormal double (767 significant digits)
    const tiny = `"${'4.9406564584124654'.padEnd(760, '1')}e-324"`;
    expect(() => parseModelText(example.replace('"a": 1', `"a": ${tiny}`), 'in.json')).not.toThrow();
  });

  it('puts control characters of a parse error in escaped form, on one line', () => {
    expect(message('{\n\u0000}')).toBe(
      "in.json: line 2, column 1: invalid JSON: Quoted object key expected but got '\\u0000'",
    );
  });
});
