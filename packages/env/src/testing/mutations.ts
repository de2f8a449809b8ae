/**
 * Hostile variants of valid market and contract files for fuzz tests (issue 13): wrong types,
 * signs, extreme exponents, fractions, lengths, keys, encodings and truncation. Exported as
 * `@diffcontract/env/testing` so every app fuzzes its own commands with the same mutations.
 */
import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Segment = string | number;

/** One change to the parsed file; `at` picks a node among the candidates, modulo their count. */
export type StructuralMutation =
  | { kind: 'type'; at: number; value: Json }
  | { kind: 'sign'; at: number }
  | { kind: 'exponent'; at: number; mantissa: string; exponent: number; asString: boolean }
  | { kind: 'fraction'; at: number; numerator: string; denominator: string }
  | { kind: 'length'; at: number; how: 'drop' | 'repeat' | 'empty' | 'double' }
  | { kind: 'key'; at: number; how: 'delete' | 'unknown' | 'rename' };

/** One change to the bytes of the written file. */
export type TextMutation =
  | { kind: 'truncate'; fraction: number }
  | { kind: 'bom' }
  | { kind: 'invalid-utf8'; fraction: number }
  | { kind: 'utf16' }
  | { kind: 'nesting'; depth: number }
  | { kind: 'long-string'; length: number }
  | { kind: 'duplicate-key' }
  | { kind: 'proto-key' }
  | { kind: 'replace-char'; fraction: number; char: string };

export interface FileMutation {
  base: number;
  changes: StructuralMutation[];
  text: TextMutation | null;
}

const oddValues: Json[] = [
  null,
  true,
  '',
  'abc',
  [],
  {},
  0,
  -1,
  1.5,
  '1/3',
  '0x10',
  'NaN',
  'Infinity',
  ' 1',
  '+1',
  '1/0',
  '1e',
  [1, 2, 3],
  { q: 1 },
];

const structural: fc.Arbitrary<StructuralMutation> = fc.oneof(
  fc.record({ kind: fc.constant('type' as const), at: fc.nat(), value: fc.constantFrom(...oddValues) }),
  fc.record({ kind: fc.constant('sign' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('exponent' as const),
    at: fc.nat(),
    mantissa: fc.constantFrom('1', '9.99', '2.5', '0.0001', '123456789012345678901234567890'),
    exponent: fc.constantFrom(
      -20000,
      -5000,
      -400,
      -324,
      -320,
      -300,
      -30,
      -3,
      0,
      3,
      30,
      300,
      308,
      309,
      400,
      5000,
      20000,
    ),
    asString: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('fraction' as const),
    at: fc.nat(),
    numerator: fc.constantFrom('0', '1', '3', '7', '100000000000000000000', `1${'0'.repeat(320)}`),
    denominator: fc.constantFrom('0', '1', '3', '7', '100000000000000000000', `1${'0'.repeat(320)}`),
  }),
  fc.record({
    kind: fc.constant('length' as const),
    at: fc.nat(),
    how: fc.constantFrom('drop' as const, 'repeat' as const, 'empty' as const, 'double' as const),
  }),
  fc.record({
    kind: fc.constant('key' as const),
    at: fc.nat(),
    how: fc.constantFrom('delete' as const, 'unknown' as const, 'rename' as const),
  }),
);

const fraction = fc.double({ min: 0, max: 1, noNaN: true });
const textual: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), fraction }),
  fc.record({ kind: fc.constant('bom' as const) }),
  fc.record({ kind: fc.constant('invalid-utf8' as const), fraction }),
  fc.record({ kind: fc.constant('utf16' as const) }),
  fc.record({ kind: fc.constant('nesting' as const), depth: fc.constantFrom(65, 1000, 100_000) }),
  fc.record({ kind: fc.constant('long-string' as const), length: fc.constantFrom(5000, 100_000) }),
  fc.record({ kind: fc.constant('duplicate-key' as const) }),
  fc.record({ kind: fc.constant('proto-key' as const) }),
  fc.record({
    kind: fc.constant('replace-char' as const),
    fraction,
    char: fc.constantFrom('"', '{', ']', ',', '\\', '\u0000', 'é', '1', ' '),
  }),
);

/**
 * Mutations of the `baseCount` base files: one to three structural changes and, half the time,
 * a change to the bytes. Plain data, so fast-check prints a failing case in full.
 */
export function fileMutations(baseCount: number): fc.Arbitrary<FileMutation> {
  return fc.record({
    base: fc.nat({ max: baseCount - 1 }),
    changes: fc.array(structural, { minLength: 0, maxLength: 3 }),
    text: fc.option(textual, { freq: 2 }),
  });
}

function nodes(root: Json): { path: Segment[]; value: Json }[] {
  const out: { path: Segment[]; value: Json }[] = [];
  const walk = (value: Json, path: Segment[]) => {
    out.push({ path, value });
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, [...path, i]);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  walk(root, []);
  return out;
}

function setAt(root: Json, path: Segment[], value: Json): Json {
  if (path.length === 0) return value;
  let parent = root as Record<Segment, Json>;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<Segment, Json>;
  parent[path[path.length - 1]!] = value;
  return root;
}

/** Raw literals that JSON.stringify cannot write (1e400 as a number) ride in a marked string. */
const RAW = '@@raw@@';

function applyStructural(root: Json, m: StructuralMutation): Json {
  const all = nodes(root);
  const pick = <T>(list: T[]) => (list.length === 0 ? undefined : list[m.at % list.length]);
  switch (m.kind) {
    case 'type': {
      const target = pick(all);
      return target ? setAt(root, target.path, structuredClone(m.value)) : root;
    }
    case 'sign': {
      const target = pick(all.filter((n) => typeof n.value === 'number' || typeof n.value === 'string'));
      if (!target) return root;
      const v = target.value;
      return setAt(root, target.path, typeof v === 'number' ? -v : `-${v as string}`);
    }
    case 'exponent': {
      const target = pick(all.filter((n) => typeof n.value === 'number' || typeof n.value === 'string'));
      if (!target) return root;
      const text = `${m.mantissa}e${m.exponent}`;
      return setAt(root, target.path, m.asString ? text : `${RAW}${text}`);
    }
    case 'fraction': {
      const target = pick(all.filter((n) => typeof n.value === 'number' || typeof n.value === 'string'));
      return target ? setAt(root, target.path, `${m.numerator}/${m.denominator}`) : root;
    }
    case 'length': {
      const target = pick(all.filter((n) => Array.isArray(n.value)));
      if (!target) return root;
      const list = target.value as Json[];
      const last = list[list.length - 1] ?? null;
      const next =
        m.how === 'drop'
          ? list.slice(0, -1)
          : m.how === 'repeat'
            ? [...list, structuredClone(last)]
            : m.how === 'empty'
              ? []
              : [...list, ...structuredClone(list)];
      return setAt(root, target.path, next);
    }
    case 'key': {
      const target = pick(
        all.filter((n) => n.value !== null && typeof n.value === 'object' && !Array.isArray(n.value)),
      );
      if (!target) return root;
      const object = target.value as Record<string, Json>;
      const keys = Object.keys(object);
      const key = keys[m.at % Math.max(1, keys.length)];
      if (m.how === 'unknown') object.extra = 1;
      else if (key !== undefined && m.how === 'delete') delete object[key];
      else if (key !== undefined) {
        object[key.toUpperCase()] = object[key]!;
        delete object[key];
      }
      return root;
    }
  }
}

function applyText(text: string, m: TextMutation | null): Buffer {
  if (m === null) return Buffer.from(text, 'utf8');
  const at = (f: number) => Math.min(text.length - 1, Math.floor(f * text.length));
  switch (m.kind) {
    case 'truncate':
      return Buffer.from(text.slice(0, at(m.fraction)), 'utf8');
    case 'bom':
      return Buffer.from(`\ufeff${text}`, 'utf8');
    case 'invalid-utf8': {
      const bytes = Buffer.from(text, 'utf8');
      bytes[Math.min(bytes.length - 1, Math.floor(m.fraction * bytes.length))] = 0xff;
      return bytes;
    }
    case 'utf16':
      return Buffer.from(`\ufeff${text}`, 'utf16le');
    case 'nesting':
      return Buffer.from(`${'['.repeat(m.depth)}${text}${']'.repeat(m.depth)}`, 'utf8');
    case 'long-string':
      return Buffer.from(text.replace(/"a": *[^,}]+/, `"a": "${'1'.repeat(m.length)}"`), 'utf8');
    case 'duplicate-key':
      return Buffer.from(text.replace(/"beta"/, '"beta": 3, "beta"'), 'utf8');
    case 'proto-key':
      return Buffer.from(text.replace('{', '{"__proto__": {"polluted": 1}, '), 'utf8');
    case 'replace-char': {
      const i = at(m.fraction);
      return Buffer.from(`${text.slice(0, i)}${m.char}${text.slice(i + 1)}`, 'utf8');
    }
  }
}

/** The bytes of `bases[m.base]` (JSON text) after the mutation. */
export function applyMutation(bases: readonly string[], m: FileMutation): Buffer {
  let root = JSON.parse(bases[m.base]!) as Json;
  for (const change of m.changes) root = applyStructural(root, change);
  const text = JSON.stringify(root, null, 2).replace(new RegExp(`"${RAW}([^"]*)"`, 'g'), '$1');
  return applyText(text, m.text);
}
