import { describe, expect, test } from 'vitest';
import { fastExp, mishWithDerivative } from './fastmath.js';

describe('fastExp', () => {
  test('relative error below 2e-7 against Math.exp on [-87, 88]', () => {
    let worst = 0;
    for (let i = 0; i <= 200_000; i++) {
      const x = -87 + (175 * i) / 200_000;
      worst = Math.max(worst, Math.abs(fastExp(x) / Math.exp(x) - 1));
    }
    expect(worst).toBeLessThan(2e-7);
    expect(fastExp(0)).toBe(1);
  });

  test('saturates instead of overflowing', () => {
    expect(fastExp(1000)).toBeCloseTo(Math.exp(88), -30);
    expect(Number.isFinite(fastExp(1000))).toBe(true);
    expect(fastExp(-1000)).toBeGreaterThanOrEqual(0);
  });
});

describe('mishWithDerivative', () => {
  test('matches z tanh(log(1 + e^z)) and a central difference in float64', () => {
    const zs = Float32Array.from([-90, -30, -5, -1, -0.1, 0, 0.2, 1, 3, 19.9, 20.1, 50]);
    const y = new Float32Array(zs.length);
    const d = new Float32Array(zs.length);
    mishWithDerivative(zs, y, d);
    const m = (v: number) => v * Math.tanh(Math.log1p(Math.exp(v)));
    zs.forEach((z, i) => {
      expect(y[i]).toBeCloseTo(m(z), 5);
      const h = 1e-5;
      expect(d[i]).toBeCloseTo((m(z + h) - m(z - h)) / (2 * h), 4);
    });
  });
});
