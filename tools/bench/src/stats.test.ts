import { describe, expect, it } from 'vitest';
import { median, relativeSpread } from './stats.js';

describe('bench statistics', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('reports half the interquartile range relative to the median', () => {
    // quartiles of 1..5 by linear interpolation are 2 and 4; (4 - 2) / 2 / 3
    expect(relativeSpread([1, 2, 3, 4, 5])).toBeCloseTo(1 / 3, 12);
    expect(relativeSpread([7])).toBe(0);
  });
});
