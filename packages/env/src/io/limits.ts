/**
 * Limits on the shape of JSON text, checked by a flat scan before any parser runs: the parsers and
 * the schema validator recurse, so 100,000 nested brackets would end in a stack overflow, and a
 * megabyte of digits would cost exact arithmetic seconds. Valid files are far inside both.
 */

/** Deepest nesting of arrays and objects. A contract file needs 4 levels; an embedded certificate 6. */
export const MAX_JSON_DEPTH = 64;

/**
 * Longest string or number literal, in characters. The exact value of the smallest double written
 * as a decimal has 767 significant digits and a fraction of two such values about 1,600 characters.
 */
export const MAX_JSON_TOKEN_LENGTH = 4096;

export interface JsonLimitProblem {
  problem: string;
  /** offset in the text where the limit was passed */
  position: number;
}

/**
 * The first place where `text` passes a limit, or undefined. Only brackets outside strings count,
 * so the scan agrees with any parser on well-formed text and stays harmless on malformed text.
 */
export function findJsonLimitProblem(text: string): JsonLimitProblem | undefined {
  let depth = 0;
  let inString = false;
  let tokenStart = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) {
        inString = false;
        tokenStart = -1;
        continue;
      }
      if (i - tokenStart > MAX_JSON_TOKEN_LENGTH) {
        return { problem: `string longer than ${MAX_JSON_TOKEN_LENGTH} characters`, position: tokenStart };
      }
      continue;
    }
    const numeric =
      (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2b || c === 0x2d || c === 0x65 || c === 0x45;
    if (numeric) {
      if (tokenStart < 0) tokenStart = i;
      if (i - tokenStart >= MAX_JSON_TOKEN_LENGTH) {
        return { problem: `number longer than ${MAX_JSON_TOKEN_LENGTH} characters`, position: tokenStart };
      }
      continue;
    }
    tokenStart = -1;
    if (c === 0x22) {
      inString = true;
      tokenStart = i;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > MAX_JSON_DEPTH) {
        return { problem: `nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`, position: i };
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return undefined;
}
