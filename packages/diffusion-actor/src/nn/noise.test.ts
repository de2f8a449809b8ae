import { describe, expect, test } from 'vitest';
import { createNoise } from './noise.js';

describe('createNoise', () => {
  test('equal seeds give equal streams, different seeds differ', () => {
    expect(createNoise(7).normals(100)).toEqual(createNoise(7).normals(100));
    expect(createNoise(7).normals(100)).not.toEqual(createNoise(8).normals(100));
  });

  test('normals have mean 0 and variance 1 (within 5 standard errors)', () => {
    const n = 200_000;
    const x = createNoise(1).normals(n);
    let m = 0;
    let v = 0;
    let tail = 0;
    for (const xi of x) {
      m += xi;
      v += xi * xi;
      if (Math.abs(xi) > 1.959964) tail += 1;
    }
    m /= n;
    v = v / n - m * m;
    expect(Math.abs(m)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(v - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    // P(|Z| > 1.96) = 0.05
    expect(Math.abs(tail / n - 0.05)).toBeLessThan(5 * Math.sqrt((0.05 * 0.95) / n));
  });

  test('nextInt is uniform over [0, n)', () => {
    const rng = createNoise(3);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[rng.nextInt(10)] += 1;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(5 * Math.sqrt(10_000 * 0.9));
  });

  test('state/restore replays the stream exactly, including the cached second normal', () => {
    const a = createNoise(11);
    a.normals(3); // odd count leaves a spare normal cached
    const saved = JSON.parse(JSON.stringify(a.state()));
    const expected = a.normals(50);
    const b = createNoise(999);
    b.restore(saved);
    expect(b.normals(50)).toEqual(expected);
  });

  test('rejects a non-integer seed', () => {
    expect(() => createNoise(1.5)).toThrow('noise seed must be an integer (1.5)');
  });
});
