import { describe, expect, test } from 'vitest';
import {
  mean,
  median,
  pairedRelativeBootstrap,
  quantileSorted,
  std,
  tInterval,
  tQuantile975,
  uniformStream,
} from './stats.js';

describe('seed-level statistics', () => {
  test('mean and sample standard deviation against hand values', () => {
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5);
    // sum of squares 32 over n - 1 = 7
    expect(std([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(std([3])).toBe(0);
    expect(mean([])).toBeNaN();
  });

  test('t quantiles: table values and the large-df expansion', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(4)).toBe(2.776);
    expect(tQuantile975(30)).toBe(2.042);
    expect(tQuantile975(60)).toBeCloseTo(2.0003, 3); // tables: 2.000
    expect(tQuantile975(120)).toBeCloseTo(1.9799, 3); // tables: 1.980
    expect(() => tQuantile975(0)).toThrow(/positive integer/);
  });

  test('95% t-interval of 1..5: 3 +- 2.776 sqrt(2.5) / sqrt(5)', () => {
    const i = tInterval([1, 2, 3, 4, 5]);
    const half = (2.776 * Math.sqrt(2.5)) / Math.sqrt(5);
    expect(i.mean).toBe(3);
    expect(i.lo).toBeCloseTo(3 - half, 12);
    expect(i.hi).toBeCloseTo(3 + half, 12);
    expect(tInterval([1]).lo).toBeNaN();
  });

  test('type-7 quantiles and the median', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([10, 20, 30], 0.25)).toBe(15);
    expect(median([5, 1, 3])).toBe(3);
  });

  test('paired relative bootstrap: exact when every pair has the same ratio', () => {
    const b = [1, 2, 3, 4, 5];
    const a = b.map((x) => 1.1 * x);
    const r = pairedRelativeBootstrap(a, b);
    expect(r.mean).toBeCloseTo(0.1, 12);
    expect(r.lo).toBeCloseTo(0.1, 12);
    expect(r.hi).toBeCloseTo(0.1, 12);
  });

  test('paired relative bootstrap: point estimate by hand, interval brackets it, reproducible', () => {
    const a = [0.5, 0.7, 0.2, 0.9, 0.4];
    const b = [0.4, 0.6, 0.5, 0.6, 0.4];
    const r = pairedRelativeBootstrap(a, b);
    // (2.7 - 2.5) / 2.5
    expect(r.mean).toBeCloseTo(0.08, 12);
    expect(r.lo).toBeLessThan(r.mean);
    expect(r.hi).toBeGreaterThan(r.mean);
    expect(pairedRelativeBootstrap(a, b)).toEqual(r);
    // negative baseline: relative to its magnitude, so "higher" stays positive
    expect(pairedRelativeBootstrap([-1, -1], [-2, -2]).mean).toBeCloseTo(0.5, 12);
    expect(() => pairedRelativeBootstrap([1], [1, 2])).toThrow(/length/);
  });

  test('the uniform stream is seeded and in [0, 1)', () => {
    const a = uniformStream(7);
    const b = uniformStream(7);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Math.abs(mean(xs) - 0.5)).toBeLessThan(0.05);
  });
});
