/**
 * Building the resolved config of a run: preset <- config file <- command-line flags, each layer
 * validated against specs/train-config.schema.json, then the algorithm-dependent `auto` choices
 * resolved and the cross-field rules checked. Every failure is a UsageError with one line naming
 * the key and the value (the CLI prints it and exits 2).
 */
import { readFileSync, statSync } from 'node:fs';
import { findJsonLimitProblem } from '@diffcontract/env';
import { renderProblem, validateAgainst } from '@diffcontract/specs';
import {
  type Algo,
  type Backend,
  type ConfigFile,
  mergeConfig,
  PRESETS,
  type PresetName,
  resolveAutos,
  type TrainConfig,
} from './config.js';
import { findRenamedKey } from './renamed-keys.js';

/** Bad user input: the CLI prints the message (one line) and exits 2. */
export class UsageError extends Error {}

export const CONFIG_SCHEMA = 'train-config';
/** Config files are small; refusing big ones early keeps a wrong path from being slurped. */
export const MAX_CONFIG_BYTES = 1 << 20;

/** Flags that override the config (undefined: not given). */
export interface ConfigOverrides {
  algo?: Algo;
  seed?: number;
  backend?: Backend;
  steps?: number;
}

function checkSchema(data: unknown, source: string): void {
  const problems = validateAgainst(CONFIG_SCHEMA, data);
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new UsageError(`${source}: ${problems[0]!.message}${more}`);
  }
}

/** Reads and schema-checks a config file (partial config). */
export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    // the size first: a wrong path (a device, a huge log) must not be slurped before it is refused
    const size = statSync(path).size;
    if (size > MAX_CONFIG_BYTES) {
      throw new UsageError(`${path}: config file larger than ${MAX_CONFIG_BYTES} bytes`);
    }
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: cannot read config file (${code ?? (e as Error).message})`);
  }
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) {
    throw new UsageError(`${path}: config file larger than ${MAX_CONFIG_BYTES} bytes`);
  }
  // the same depth and token limits as market files: the validator recurses
  const limit = findJsonLimitProblem(text);
  if (limit !== undefined) throw new UsageError(`${path}: not valid JSON (${limit.problem})`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  // before the schema, which would only call the old key unknown
  const renamed = findRenamedKey(data);
  if (renamed !== undefined) throw new UsageError(`${path}: ${renamed}`);
  checkSchema(data, path);
  return data as ConfigFile;
}

/** Rules the schema cannot express (they relate fields to each other). */
export function checkConsistency(c: TrainConfig, source: string): void {
  const fail = (path: string, problem: string, value: unknown) => {
    throw new UsageError(`${source}: ${renderProblem(path, problem, true, value)}`);
  };
  if (c.sac.exactGradient > 0 && c.environment.action !== 'allocation') {
    fail(
      'sac.exactGradient',
      'only the allocation formulation has an exact action-gradient (set 0)',
      c.sac.exactGradient,
    );
  }
  if (c.environment.action === 'allocation' && !(c.environment.penalty > 0)) {
    fail(
      'environment.penalty',
      'the allocation formulation prices slack at lambda > 0',
      c.environment.penalty,
    );
  }
  const strategy = c.pruning.strategy;
  if (c.algo === 'edmsac' && strategy === 'none') {
    fail('pruning.strategy', 'edmsac prunes: choose magnitude or taylor (or use --algo dmsac)', strategy);
  }
  if (c.algo !== 'edmsac' && strategy !== 'none' && strategy !== 'auto') {
    fail('pruning.strategy', `${c.algo} does not prune: use --algo edmsac or strategy none`, strategy);
  }
  if (c.algo === 'sac' && c.actor.name === 'diffusion') {
    fail(
      'actor.name',
      'sac trains the gaussian actor; dmsac and edmsac train the diffusion actor',
      c.actor.name,
    );
  }
  if (c.algo !== 'sac' && c.actor.name === 'gaussian') {
    fail(
      'actor.name',
      `${c.algo} trains a diffusion actor; use --algo sac for the gaussian actor`,
      c.actor.name,
    );
  }
}

/**
 * The resolved config of a new run. Layers: the preset named by the file's `extends` (default
 * `default`), the file, then the flags. The result has every key.
 */
export function buildConfig(options: {
  file?: string;
  preset?: PresetName;
  overrides?: ConfigOverrides;
}): TrainConfig {
  const fromFile: ConfigFile = options.file ? readConfigFile(options.file) : {};
  const { extends: presetName, $schema: _schema, ...partial } = fromFile;
  const base = PRESETS[presetName ?? options.preset ?? 'default'];
  const o = options.overrides ?? {};
  const flags: ConfigFile = {
    ...(o.algo !== undefined ? { algo: o.algo } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.backend !== undefined ? { backend: o.backend } : {}),
    ...(o.steps !== undefined ? { budget: { steps: o.steps } } : {}),
  };
  // Flags go through the same schema so `--seed -1` reads like a bad file value.
  checkSchema(flags, 'command line');
  const merged = mergeConfig(mergeConfig(structuredClone(base), partial), flags);
  const source = options.file ?? 'config';
  checkConsistency(merged, source);
  const resolved = resolveAutos(merged);
  checkSchema(resolved, source);
  return resolved;
}

/** Reads a run's recorded config.json (complete by construction; checked anyway, it may be edited). */
export function readResolvedConfig(path: string): TrainConfig {
  const partial = readConfigFile(path);
  const merged = mergeConfig(structuredClone(PRESETS.default), partial);
  checkConsistency(merged, path);
  return resolveAutos(merged);
}
