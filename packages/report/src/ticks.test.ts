import { describe, expect, it } from 'vitest';
import { formatTick, niceTicks } from './ticks.js';

describe('niceTicks', () => {
  it('uses steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(0.37, 0.92)).toEqual([0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(niceTicks(-3, 7)).toEqual([-4, -2, 0, 2, 4, 6, 8]);
  });
  it('covers the range and keeps labels free of float drift', () => {
    for (const [lo, hi] of [
      [0.1, 0.7],
      [-0.013, 0.002],
      [12345, 98765],
      [1e-6, 3e-6],
    ] as const) {
      const t = niceTicks(lo, hi);
      expect(t[0]!).toBeLessThanOrEqual(lo);
      expect(t[t.length - 1]!).toBeGreaterThanOrEqual(hi);
      expect(t.length).toBeGreaterThanOrEqual(2);
      expect(t.length).toBeLessThanOrEqual(11);
      for (const v of t) expect(String(v)).not.toMatch(/0000000|9999999/);
    }
  });
  it('opens a window around a constant series', () => {
    const t = niceTicks(2, 2);
    expect(t[0]!).toBeLessThan(2);
    expect(t[t.length - 1]!).toBeGreaterThan(2);
    expect(niceTicks(0, 0)).toContain(0);
    // 10% each side of 5: [4.5, 5.5] in steps of 0.2
    expect(niceTicks(5, 5)).toEqual([4.4, 4.6, 4.8, 5, 5.2, 5.4, 5.6]);
    expect(niceTicks(-3.2, 7.9)).toEqual([-4, -2, 0, 2, 4, 6, 8]);
  });
  it('refuses a non-finite range', () => {
    expect(() => niceTicks(0, Number.NaN)).toThrow(RangeError);
  });
});

describe('formatTick', () => {
  it('prints short labels', () => {
    expect(formatTick(0)).toBe('0');
    expect(formatTick(0.2)).toBe('0.2');
    expect(formatTick(1500)).toBe('1500');
    expect(formatTick(2e6)).toBe('2.0e6');
    expect(formatTick(1 / 3)).toBe('0.3333');
  });
});
