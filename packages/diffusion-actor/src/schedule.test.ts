import { describe, expect, test } from 'vitest';
import { vpSchedule } from './schedule.js';

describe('vpSchedule', () => {
  const T = 5;
  const s = vpSchedule({ steps: T });

  test('alpha_1 by hand: exp(-0.1/5 - 9.9 * 1 / 50)', () => {
    expect(s.alphas[0]).toBeCloseTo(Math.exp(-0.218), 15);
    expect(s.betas[0]).toBeCloseTo(1 - Math.exp(-0.218), 15);
    // t = 5: exp(-0.02 - 9.9 * 9 / 50) = exp(-1.802)
    expect(s.alphas[4]).toBeCloseTo(Math.exp(-1.802), 15);
  });

  test('alpha-bar has the closed form exp(-t b_min / T - (b_max - b_min) t^2 / (2 T^2))', () => {
    // sum_{k<=t} (2k - 1) = t^2, so the cumulative product telescopes (independent of the loop).
    for (const steps of [1, 5, 20]) {
      const sch = vpSchedule({ steps, betaMin: 0.3, betaMax: 7 });
      for (let t = 1; t <= steps; t++) {
        const closed = Math.exp((-t * 0.3) / steps - ((7 - 0.3) * t * t) / (2 * steps * steps));
        expect(sch.alphaBars[t - 1]).toBeCloseTo(closed, 13);
      }
    }
  });

  test('posterior coefficients equal the Gaussian posterior computed by Bayes rule', () => {
    // x_{t-1} | x0 ~ N(sqrt(ab_{t-1}) x0, 1 - ab_{t-1}); x_t | x_{t-1} ~ N(sqrt(alpha_t) x_{t-1}, beta_t).
    for (let i = 1; i < T; i++) {
      const abPrev = s.alphaBars[i - 1]!;
      const alpha = s.alphas[i]!;
      const beta = 1 - alpha;
      const precision = 1 / (1 - abPrev) + alpha / beta;
      const variance = 1 / precision;
      expect(s.posteriorVariance[i]).toBeCloseTo(variance, 12);
      expect(s.posteriorC1[i]).toBeCloseTo((variance * Math.sqrt(abPrev)) / (1 - abPrev), 12);
      expect(s.posteriorC2[i]).toBeCloseTo((variance * Math.sqrt(alpha)) / beta, 12);
    }
    // t = 1: x_0 is known given x0, so no variance and the mean is x0 itself.
    expect(s.posteriorVariance[0]).toBe(0);
    expect(s.posteriorC1[0]).toBeCloseTo(1, 14);
    expect(s.posteriorC2[0]).toBeCloseTo(0, 14);
  });

  test('x0 reconstruction inverts the forward noising', () => {
    // x_t = sqrt(ab) x0 + sqrt(1 - ab) eps  =>  x0 = sqrt(1/ab) x_t - sqrt(1/ab - 1) eps
    const x0 = 0.37;
    const eps = -1.3;
    for (let i = 0; i < T; i++) {
      const ab = s.alphaBars[i]!;
      const xt = Math.sqrt(ab) * x0 + Math.sqrt(1 - ab) * eps;
      expect(s.sqrtRecipAlphaBar[i]! * xt - s.sqrtRecipM1AlphaBar[i]! * eps).toBeCloseTo(x0, 12);
    }
  });

  test('rejects bad step counts with the field name', () => {
    expect(() => vpSchedule({ steps: 0 })).toThrow('diffusion.steps: must be an integer >= 1 (0)');
    expect(() => vpSchedule({ steps: 2.5 })).toThrow('diffusion.steps');
  });
});
