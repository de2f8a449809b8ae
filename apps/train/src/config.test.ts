import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SAC_CONFIG, resolveSacConfig } from '@diffcontract/sac';
import { validateAgainst } from '@diffcontract/specs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mergeConfig, PAPER_CONFIG, resolveAutos } from './config.js';
import { buildConfig, CONFIG_SCHEMA, readResolvedConfig, UsageError } from './config-load.js';
import { sacConfigOf } from './train.js';

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
      expect(c.actor).toMatchObject({ hidden: 256, denoisingSteps: 5 });
      expect(c.critic).toEqual({ hidden: 256, lr: 1e-3 });
      expect(c.sac).toMatchObject({ batchSize: 256, tau: 0.005, replaySize: 1_000_000 });
      expect(c.pruning.ratio).toBe(0.1);
    }
    expect(PAPER_CONFIG.actor.lr).toBe(1e-4);
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
  it('resolved presets are valid against the schema', () => {
    for (const c of [DEFAULT_CONFIG, PAPER_CONFIG]) {
      expect(validateAgainst(CONFIG_SCHEMA, c)).toEqual([]);
      expect(validateAgainst(CONFIG_SCHEMA, resolveAutos(c))).toEqual([]);
    }
  });
});

describe("the app's settings against the packages' (one source each, checked here)", () => {
  it("sets every field of sac's config, and departs from sac's defaults only where the README says", () => {
    for (const preset of [DEFAULT_CONFIG, PAPER_CONFIG]) {
      const sac = sacConfigOf(resolveAutos(preset));
      expect(Object.keys(sac).sort()).toEqual(Object.keys(DEFAULT_SAC_CONFIG).sort());
      expect(resolveSacConfig(sac)).toEqual(sac);
    }
    const sac = sacConfigOf(resolveAutos(DEFAULT_CONFIG));
    const departures = Object.keys(sac).filter(
      (k) =>
        JSON.stringify(sac[k as keyof typeof sac]) !==
        JSON.stringify(DEFAULT_SAC_CONFIG[k as keyof typeof sac]),
    );
    // the measured departures of the default config (apps/train README): actor lr 1e-3, one actor
    // step per 4 critic steps, the exact gradient; the seed is derived from the run's seed
    expect(departures.sort()).toEqual(['actorEvery', 'actorLr', 'exactGradient', 'seed']);
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
    expect(usageMessage(() => buildConfig({ file: file({ actor: { lr: -0.001 } }) }))).toMatch(
      /actor\.lr: must be > 0 \(-0\.001\)$/,
    );
    expect(usageMessage(() => buildConfig({ file: file({ critic: { learningRate: 1 } }) }))).toMatch(
      /critic\.learningRate: unknown field \(1\)$/,
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

  it('reads back a recorded config unchanged', () => {
    const c = buildConfig({ overrides: { algo: 'edmsac', seed: 9 } });
    expect(readResolvedConfig(file(c))).toEqual(c);
  });
});
