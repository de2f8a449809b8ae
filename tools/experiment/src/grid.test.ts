import { describe, expect, test } from 'vitest';
import { codeIdentity, codeMismatch, gridHash, gridQueueName, jobDataProblem } from './grid.js';

describe('grid identity', () => {
  const runs = [
    { id: 'edmsac-s0', config: { seed: 0 } },
    { id: 'dmsac-s0', config: { seed: 0 } },
  ];

  test('the hash depends on the mode, every run id and every config value', () => {
    const h = gridHash('smoke', runs);
    expect(h).toMatch(/^[0-9a-f]{12}$/);
    expect(
      gridHash(
        'smoke',
        runs.map((r) => ({ ...r })),
      ),
    ).toBe(h);
    expect(gridHash('reduced', runs)).not.toBe(h);
    expect(gridHash('smoke', [runs[0]!])).not.toBe(h);
    expect(gridHash('smoke', [runs[0]!, { id: 'dmsac-s0', config: { seed: 1 } }])).not.toBe(h);
    expect(gridQueueName('smoke', h)).toBe(`diffcontract-smoke-${h}`);
    expect(gridQueueName('smoke', h)).not.toContain(':');
  });

  test('code identity: the commit, marked when sources had uncommitted changes', () => {
    const at = 'x';
    expect(codeIdentity({ commit: 'abc', uncommitted: [], recordedAt: at })).toBe('abc');
    const dirty = codeIdentity({ commit: 'abc', uncommitted: [' M apps/train/src/a.ts'], recordedAt: at });
    expect(dirty).toMatch(/^abc\+uncommitted-[0-9a-f]{8}$/);
    expect(codeIdentity({ commit: 'abc', uncommitted: [' M apps/train/src/b.ts'], recordedAt: at })).not.toBe(
      dirty,
    );
    expect(codeIdentity({ commit: null, uncommitted: [], recordedAt: at })).toBe('no-git');
    expect(codeMismatch('q', 'abc', 'def')).toContain('planned by code def, this worker is built from abc');
  });

  test('job data from Redis is checked before a worker trusts it', () => {
    expect(jobDataProblem({ id: 'edmsac-s0', config: {}, code: 'abc', mode: 'smoke' })).toBeNull();
    expect(jobDataProblem(null)).toMatch(/not an object/);
    expect(jobDataProblem({ id: '../x', config: {}, code: 'a' })).toMatch(
      /id must be a run name \("\.\.\/x"\)/,
    );
    expect(jobDataProblem({ id: 'a', config: [1], code: 'a' })).toMatch(/config must be an object \(\[1\]\)/);
    expect(jobDataProblem({ id: 'a', config: {}, code: 3 })).toMatch(/code must be a string \(3\)/);
  });
});
