import { describe, expect, test } from 'vitest';
import { DEFAULT_SAC_CONFIG, resolveSacConfig } from './config.js';

describe('resolveSacConfig', () => {
  test('defaults are model.md section 7', () => {
    const c = resolveSacConfig();
    expect(c).toMatchObject({
      tau: 0.005,
      batchSize: 256,
      actorLr: 1e-4,
      criticLr: 1e-3,
      bufferCapacity: 1_000_000,
    });
    expect(c.criticHidden).toEqual([256, 256]);
    c.criticHidden.push(1);
    expect(DEFAULT_SAC_CONFIG.criticHidden).toEqual([256, 256]);
  });

  test('one-line errors naming field and value', () => {
    expect(() => resolveSacConfig({ batchSize: 0 })).toThrow('sac.batchSize: must be an integer >= 1 (0)');
    expect(() => resolveSacConfig({ actorLr: -1 })).toThrow('sac.actorLr: must be a finite number > 0 (-1)');
    expect(() => resolveSacConfig({ tau: 2 })).toThrow('sac.tau: must be in (0, 1] (2)');
    expect(() => resolveSacConfig({ criticHidden: [64, 0] })).toThrow(
      'sac.criticHidden[1]: must be an integer >= 1 (0)',
    );
    expect(() => resolveSacConfig({ targetEntropy: 'x' as never })).toThrow(
      `sac.targetEntropy: must be a number or 'auto' ("x")`,
    );
    expect(() => resolveSacConfig({ gamma: 0.9 } as never)).toThrow('sac.gamma: unknown key (0.9)');
    expect(() => resolveSacConfig({ initialAlpha: 0 })).toThrow(
      'sac.initialAlpha: must be > 0 with autoTemperature (0)',
    );
    expect(resolveSacConfig({ initialAlpha: 0, autoTemperature: false }).initialAlpha).toBe(0);
  });
});
