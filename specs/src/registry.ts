import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule, { type AnySchemaObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { PROBLEM_KEYWORD, type SchemaProblem, toProblems } from './problems.js';

// ajv and ajv-formats are CommonJS; under NodeNext their default import is module.exports, which
// carries the class (plugin) again as `.default`.
const Ajv2020 = AjvModule.default;
const addFormats = formatsModule.default;

/**
 * The schema files sit at the package root, one level above both src/ and dist/, so the same
 * relative URL works whether this module runs from source (tests) or from the build.
 */
export const SCHEMA_DIR = fileURLToPath(new URL('../', import.meta.url));

const SUFFIX = '.schema.json';

// Checking a schema against the draft 2020-12 meta-schema costs a noticeable part of every CLI start,
// so the shipped files are checked by a test instead (index.test.ts); registerSchema checks
// schemas from elsewhere explicitly.
const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, validateSchema: false });
addFormats(ajv);
ajv.addKeyword({ keyword: PROBLEM_KEYWORD, schemaType: 'string' });

/** name ('market') -> $id, for every schema known so far */
const idsByName = new Map<string, string>();
const validators = new Map<string, ValidateFunction>();

function nameOf(id: string): string {
  const base = id.slice(id.lastIndexOf('/') + 1);
  return base.endsWith(SUFFIX) ? base.slice(0, -SUFFIX.length) : base;
}

function normaliseName(name: string): string {
  return name.endsWith(SUFFIX) ? name.slice(0, -SUFFIX.length) : name;
}

/**
 * Adds a schema (it must carry an `$id`; its name is the `$id`'s last path segment without
 * `.schema.json`). Schemas may `$ref` each other by that relative file name. Returns the name.
 */
export function registerSchema(schema: AnySchemaObject, options: { checkMetaSchema?: boolean } = {}): string {
  const id = schema.$id;
  if (typeof id !== 'string' || id === '') throw new Error('registerSchema: the schema needs an $id');
  const name = nameOf(id);
  const existing = idsByName.get(name);
  if (existing !== undefined) {
    if (existing === id) return name;
    throw new Error(`registerSchema: a schema named "${name}" is already registered (${existing})`);
  }
  if (options.checkMetaSchema !== false && !ajv.validateSchema(schema)) {
    throw new Error(
      `registerSchema: ${name} is not a valid draft 2020-12 schema: ${ajv.errorsText(ajv.errors)}`,
    );
  }
  ajv.addSchema(schema);
  idsByName.set(name, id);
  return name;
}

/** Registers a schema file from disk; see registerSchema. */
export function registerSchemaFile(path: string, options: { checkMetaSchema?: boolean } = {}): string {
  return registerSchema(JSON.parse(readFileSync(path, 'utf8')) as AnySchemaObject, options);
}

/** Shipped schema files that failed to load: the error surfaces when that schema is used. */
const loadErrors = new Map<string, Error>();

// Every `*.schema.json` shipped in this package is known from the start, so a schema added to
// specs/ by another package's owner needs no code change here. One broken file must not take the
// others down, so its error is kept for when someone asks for it.
for (const file of readdirSync(SCHEMA_DIR).sort()) {
  if (!file.endsWith(SUFFIX)) continue;
  try {
    registerSchemaFile(`${SCHEMA_DIR}${file}`, { checkMetaSchema: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    loadErrors.set(file.slice(0, -SUFFIX.length), new Error(`schema file ${file} failed to load: ${reason}`));
  }
}

function unknownSchema(name: string): Error {
  return (
    loadErrors.get(normaliseName(name)) ??
    new Error(`unknown schema "${name}" (known: ${schemaNames().join(', ')})`)
  );
}

/** Names of all registered schemas ('market', 'contract-file', ...). */
export function schemaNames(): string[] {
  return [...idsByName.keys()].sort();
}

/** The schema object registered under a name ('market' or 'market.schema.json'). */
export function getSchema(name: string): AnySchemaObject {
  const id = idsByName.get(normaliseName(name));
  const schema = id === undefined ? undefined : ajv.getSchema(id)?.schema;
  if (schema === undefined || typeof schema === 'boolean') {
    throw unknownSchema(name);
  }
  return schema;
}

function validatorFor(name: string): ValidateFunction {
  const key = normaliseName(name);
  let validate = validators.get(key);
  if (validate === undefined) {
    const id = idsByName.get(key);
    validate = id === undefined ? undefined : ajv.getSchema(id);
    if (validate === undefined) throw unknownSchema(name);
    validators.set(key, validate);
  }
  return validate;
}

/**
 * Validates data against a registered schema. Returns the problems (empty when valid), each with
 * a path like `market.theta[2]` and a message `path: problem (value)`.
 */
export function validateAgainst(schemaName: string, data: unknown): SchemaProblem[] {
  const validate = validatorFor(schemaName);
  if (validate(data)) return [];
  return toProblems(validate.errors ?? [], data);
}
