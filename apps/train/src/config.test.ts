import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DIFFUSION_CONFIG, resolveDiffusionConfig } from '@diffcontract/diffusion-actor';
import { PRUNING_DEFAULTS } from '@diffcontract/pruning';
import { DEFAULT_GAUSSIAN_CONFIG, DEFAULT_SAC_CONFIG, resolveSacConfig } from '@diffcontract/sac';
import { getSchema, validateAgainst } from '@diffcontract/specs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mergeConfig, PAPER_CONFIG, PRESETS, resolveAutos } from './config.js';
import { buildConfig, CONFIG_SCHEMA, readResolvedConfig, UsageError } from './config-load.js';
import { RENAMED_KEYS } from './renamed-keys.js';
import { actorOptions } from './train.js';

const dir = mkdtempSync(join(tmpdir(), 'train-config-'));
let n = 0;
function file(content: unknown): string {
  const path = join(dir, `c${n++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('presets', () => {
  it('carry the model.md section 7 architecture; paper keeps its learning rates and formulation', () => {
    for (const c of [DEFAULT_CONFIG, PAPER_CONFIG]) {
      expect(c.actor).toMatchObject({ hidden: [256, 256], denoisingSteps: 5 });
      expect(c.sac).toMatchObject({ criticHidden: [256, 256], criticLr: 1e-3 });
      expect(c.sac).toMatchObject({ batchSize: 256, tau: 0.005, bufferCapacity: 1_000_000 });
      expect(c.pruning.rho).toBe(0.1);
    }
    expect(PAPER_CONFIG.sac.actorLr).toBe(1e-4);
    expect(PAPER_CONFIG.environment).toEqual({
      name: 'two-period-contract',
      action: 'contract',
      penalty: 5,
      scale: 'beta',
      rewardTransform: 'symlog',
    });
    expect(PAPER_CONFIG.sac.exactGradient).toBe(0);
    expect(PAPER_CONFIG.evaluation.candidates).toBe(1);
    expect(PAPER_CONFIG.budget.steps).toBeGreaterThan(DEFAULT_CONFIG.budget.steps);
  });
  it('default: the allocation formulation (model.md section 6.1), the documented measured deviations', () => {
    expect(DEFAULT_CONFIG.environment).toEqual({
      name: 'two-period-contract',
      action: 'allocation',
      penalty: 5,
      scale: 'beta',
      rewardTransform: 'none',
    });
    expect(DEFAULT_CONFIG.evaluation.candidates).toBeGreaterThan(1);
  });
});

/** Each preset's keys that differ from `defaults` (the packages' own defaults), sorted. */
function departures(section: Record<string, unknown>, defaults: Record<string, unknown>): string[] {
  return Object.keys(section)
    .filter((k) => JSON.stringify(section[k]) !== JSON.stringify(defaults[k]))
    .sort();
}

describe("the app's settings are the packages' own (one source each, no renaming)", () => {
  it("sac: SacConfig's keys but the seed, passed as they are; departures only where the README says", () => {
    const { seed: _seed, ...sacDefaults } = DEFAULT_SAC_CONFIG;
    for (const preset of [DEFAULT_CONFIG, PAPER_CONFIG]) {
      expect(Object.keys(preset.sac).sort()).toEqual(Object.keys(sacDefaults).sort());
      expect(resolveSacConfig({ ...preset.sac, seed: 1 })).toEqual({ ...preset.sac, seed: 1 });
    }
    // the measured departures of the default config (apps/train README): actor lr 1e-3, one actor
    // step per 4 critic steps, the exact gradient
    expect(departures(DEFAULT_CONFIG.sac, sacDefaults)).toEqual(['actorEvery', 'actorLr', 'exactGradient']);
    expect(DEFAULT_CONFIG.sac).toMatchObject({ actorLr: 1e-3, actorEvery: 4, exactGradient: 1 });
    // paper: model.md's settings, which are sac's defaults
    expect(departures(PAPER_CONFIG.sac, sacDefaults)).toEqual([]);
  });

  it("pruning: the schedule under pruning's names; departures only in the interval and the ramp", () => {
    for (const preset of [DEFAULT_CONFIG, PAPER_CONFIG]) {
      const { strategy: _s, ...schedule } = preset.pruning;
      expect(Object.keys(schedule).every((k) => k in PRUNING_DEFAULTS)).toBe(true);
    }
    const { strategy: _s, ...schedule } = DEFAULT_CONFIG.pruning;
    expect(departures(schedule, PRUNING_DEFAULTS)).toEqual(['pruneEvery', 'rampShare']);
    expect(DEFAULT_CONFIG.pruning).toMatchObject({ pruneEvery: 100, rampShare: 0.3 });
  });

  it("actor: the default actors are the kinds' own widths (and diffusion-actor's steps), passed as they are", () => {
    const diffusion = resolveAutos({ ...DEFAULT_CONFIG, algo: 'dmsac' });
    const resolved = resolveDiffusionConfig({ stateDim: 1, actionDim: 1, ...actorOptions(diffusion) });
    expect(resolved.hidden).toEqual(DEFAULT_DIFFUSION_CONFIG.hidden);
    expect(resolved.steps).toBe(DEFAULT_DIFFUSION_CONFIG.steps);
    const gaussian = resolveAutos({ ...DEFAULT_CONFIG, algo: 'sac' });
    expect(actorOptions(gaussian)).toEqual({ hidden: DEFAULT_GAUSSIAN_CONFIG.hidden });
    const wide = resolveAutos({
      ...DEFAULT_CONFIG,
      actor: { ...DEFAULT_CONFIG.actor, hidden: [64, 32, 16] },
    });
    expect(actorOptions(wide)).toMatchObject({ hidden: [64, 32, 16], steps: 5 });
  });
});

/** Keys of a config object or of a schema node, each level by its dotted path. */
function configKeys(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  // actor.options is free-form (the actor kind's factory validates it)
  if (path === 'actor.options') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const p = path ? `${path}.${k}` : k;
    return [p, ...configKeys(v, p)];
  });
}

function schemaKeys(node: Record<string, unknown>, path = ''): string[] {
  const properties = node.properties as Record<string, Record<string, unknown>> | undefined;
  if (properties === undefined) return [];
  return Object.entries(properties).flatMap(([k, v]) => {
    const p = path ? `${path}.${k}` : k;
    return [p, ...schemaKeys(v, p)];
  });
}

describe('the JSON Schema against TrainConfig', () => {
  it('has exactly the config keys at every level (both directions), and no others', () => {
    const schema = getSchema(CONFIG_SCHEMA) as Record<string, unknown>;
    // `$schema` and `extends` belong to config files only
    const fromSchema = schemaKeys(schema).filter((k) => k !== '$schema' && k !== 'extends');
    for (const preset of Object.values(PRESETS)) {
      expect(fromSchema.sort()).toEqual(configKeys(preset).sort());
    }
    // every object level forbids unknown keys
    const closed = (node: Record<string, unknown>): boolean =>
      node.properties === undefined ||
      (node.additionalProperties === false &&
        Object.values(node.properties as Record<string, Record<string, unknown>>).every(closed));
    expect(closed(schema)).toBe(true);
  });

  it('validates every preset, before and after the auto choices', () => {
    for (const c of Object.values(PRESETS)) {
      expect(validateAgainst(CONFIG_SCHEMA, c)).toEqual([]);
      for (const algo of ['dmsac', 'edmsac', 'sac'] as const) {
        expect(validateAgainst(CONFIG_SCHEMA, resolveAutos({ ...c, algo }))).toEqual([]);
      }
    }
  });

  it('does not know the renamed keys any more, and knows their new names', () => {
    const known = new Set(schemaKeys(getSchema(CONFIG_SCHEMA) as Record<string, unknown>));
    for (const r of RENAMED_KEYS) {
      expect(known.has(r.from)).toBe(false);
      for (const to of r.to.split(' and ')) expect(known.has(to)).toBe(true);
    }
  });
});

describe('mergeConfig', () => {
  it('merges nested objects and lets scalars replace', () => {
    const merged = mergeConfig(DEFAULT_CONFIG, { sac: { batchSize: 8 }, seed: 3 });
    expect(merged.sac.batchSize).toBe(8);
    expect(merged.sac.tau).toBe(DEFAULT_CONFIG.sac.tau);
    expect(merged.seed).toBe(3);
    expect(DEFAULT_CONFIG.sac.batchSize).toBe(256);
  });
});

describe('buildConfig', () => {
  it('layers preset, file and flags, and resolves the algorithm-dependent choices', () => {
    const c = buildConfig({
      file: file({ extends: 'paper', seed: 7, sac: { batchSize: 32 } }),
      overrides: { steps: 12, algo: 'dmsac' },
    });
    expect(c.seed).toBe(7);
    expect(c.sac.batchSize).toBe(32);
    expect(c.budget.steps).toBe(12);
    expect(c.budget.warmupSteps).toBe(PAPER_CONFIG.budget.warmupSteps);
    expect(c.actor.name).toBe('diffusion');
    expect(c.pruning.strategy).toBe('none');
    const e = buildConfig({ overrides: { algo: 'edmsac' } });
    expect(e.pruning.strategy).toBe('magnitude');
    const s = buildConfig({ overrides: { algo: 'sac', seed: 4 } });
    expect(s.actor.name).toBe('gaussian');
    expect(s.seed).toBe(4);
  });

  it('names the key and the value of a bad file entry', () => {
    expect(usageMessage(() => buildConfig({ file: file({ sac: { batchSize: 0 } }) }))).toMatch(
      /c\d+\.json: sac\.batchSize: must be >= 1 \(0\)$/,
    );
    expect(usageMessage(() => buildConfig({ file: file({ sac: { actorLr: -0.001 } }) }))).toMatch(
      /sac\.actorLr: must be > 0 \(-0\.001\)$/,
    );
    expect(usageMessage(() => buildConfig({ file: file({ sac: { criticHidden: [64, 0] } }) }))).toMatch(
      /sac\.criticHidden\[1\]: must be >= 1 \(0\)$/,
    );
    expect(usageMessage(() => buildConfig({ file: file({ sac: { learningRate: 1 } }) }))).toMatch(
      /sac\.learningRate: unknown field \(1\)$/,
    );
    expect(usageMessage(() => buildConfig({ file: file({ budget: { steps: '100' } }) }))).toMatch(
      /budget\.steps: must be an integer \("100"\)$/,
    );
    expect(usageMessage(() => buildConfig({ file: file({ environment: { scale: -1 } }) }))).toMatch(
      /environment\.scale: must be "beta" or a number > 0 \(-1\)$/,
    );
    expect(usageMessage(() => buildConfig({ file: file({ algo: 'ppo' }) }))).toMatch(
      /algo: must be one of "dmsac", "edmsac", "sac" \("ppo"\)$/,
    );
  });

  it('rejects unreadable and malformed files in one line', () => {
    expect(usageMessage(() => buildConfig({ file: join(dir, 'missing.json') }))).toMatch(
      /missing\.json: cannot read config file \(ENOENT\)$/,
    );
    const msg = usageMessage(() => buildConfig({ file: file('{"seed": 1,') }));
    expect(msg).toMatch(/: not valid JSON \(/);
    expect(msg).not.toContain('\n');
  });

  it('checks flags with the same rules', () => {
    expect(usageMessage(() => buildConfig({ overrides: { seed: -1 } }))).toBe(
      'command line: seed: must be >= 0 (-1)',
    );
    expect(usageMessage(() => buildConfig({ overrides: { steps: 0 } }))).toBe(
      'command line: budget.steps: must be >= 1 (0)',
    );
  });

  it('rejects algorithm and pruning combinations that contradict each other', () => {
    expect(
      usageMessage(() =>
        buildConfig({ file: file({ pruning: { strategy: 'taylor' } }), overrides: { algo: 'dmsac' } }),
      ),
    ).toMatch(/pruning\.strategy: dmsac does not prune.*\("taylor"\)$/);
    expect(
      usageMessage(() =>
        buildConfig({ file: file({ pruning: { strategy: 'none' } }), overrides: { algo: 'edmsac' } }),
      ),
    ).toMatch(/pruning\.strategy: edmsac prunes.*\("none"\)$/);
    expect(
      usageMessage(() => buildConfig({ file: file({ algo: 'dmsac', actor: { name: 'gaussian' } }) })),
    ).toMatch(/actor\.name: dmsac trains a diffusion actor/);
  });

  it('refuses a renamed key with its new name, in a file and in an older run', () => {
    expect(usageMessage(() => buildConfig({ file: file({ actor: { lr: 0.001 } }) }))).toMatch(
      /c\d+\.json: actor\.lr: renamed to sac\.actorLr \(0\.001\)$/,
    );
    expect(usageMessage(() => buildConfig({ file: file({ critic: { hidden: 64 } }) }))).toMatch(
      /: critic\.hidden: renamed to sac\.criticHidden \(a list of layer widths: \[h, h\] for h\) \(64\)$/,
    );
    expect(usageMessage(() => buildConfig({ file: file({ critic: {} }) }))).toMatch(
      /: critic: renamed to sac\.criticHidden and sac\.criticLr \(\{\}\)$/,
    );
    expect(usageMessage(() => buildConfig({ file: file({ actor: { hidden: 64 } }) }))).toMatch(
      /: actor\.hidden: now a list of layer widths, as the actor kinds take it: \[h, h\] for h \(64\)$/,
    );
    expect(usageMessage(() => buildConfig({ file: file({ sac: { replaySize: 40 } }) }))).toMatch(
      /: sac\.replaySize: renamed to sac\.bufferCapacity \(40\)$/,
    );
    expect(usageMessage(() => buildConfig({ file: file({ pruning: { ratio: 0.2, every: 5 } }) }))).toMatch(
      /: pruning\.ratio: renamed to pruning\.rho \(0\.2\)$/,
    );
    expect(usageMessage(() => buildConfig({ file: file({ pruning: { every: 5 } }) }))).toMatch(
      /: pruning\.every: renamed to pruning\.pruneEvery \(5\)$/,
    );
    // a config.json recorded before the rename, as --resume reads it
    const { sac, pruning, ...rest } = buildConfig({});
    const { actorLr, criticLr, criticHidden, bufferCapacity, ...sacRest } = sac;
    const old = {
      ...rest,
      actor: { ...rest.actor, lr: actorLr },
      critic: { hidden: criticHidden[0], lr: criticLr },
      sac: { ...sacRest, replaySize: bufferCapacity },
      pruning: { strategy: pruning.strategy, ratio: pruning.rho, every: pruning.pruneEvery, rampShare: 0.3 },
    };
    const msg = usageMessage(() => readResolvedConfig(file(old)));
    expect(msg).toMatch(/c\d+\.json: actor\.lr: renamed to sac\.actorLr \(0\.001\)$/);
    expect(msg).not.toContain('\n');
  });

  it("builds every example config of the repository (they use today's keys)", () => {
    const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
    const files = [
      ...readdirSync(join(examples, 'configs'))
        .filter((f) => f.endsWith('.json'))
        .map((f) => join(examples, 'configs', f)),
      join(examples, 'policy-k3', 'train-config.json'),
    ];
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) expect(() => buildConfig({ file: f }), f).not.toThrow();
  });

  it('reads back a recorded config unchanged', () => {
    const c = buildConfig({ overrides: { algo: 'edmsac', seed: 9 } });
    expect(readResolvedConfig(file(c))).toEqual(c);
  });
});
