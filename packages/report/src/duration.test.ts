import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration.js';

describe('formatDuration', () => {
  it('prints seconds, minutes and hours', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(59.4)).toBe('59s');
    expect(formatDuration(59.6)).toBe('1m00s');
    expect(formatDuration(61)).toBe('1m01s');
    expect(formatDuration(3599)).toBe('59m59s');
    expect(formatDuration(3725)).toBe('1h02m');
  });
  it('prints ? for an unknown or negative duration (an ETA before the first step)', () => {
    expect(formatDuration(Number.NaN)).toBe('?');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
    expect(formatDuration(-1)).toBe('?');
  });
});
