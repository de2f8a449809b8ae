import { describe, expect, test } from 'vitest';
import { historyLabels, typeUtilities } from './contract-view.js';

describe('typeUtilities', () => {
  test('hand-computed rents of a K = 2 contract', () => {
    const market = {
      theta: [0.5, 1],
      prior: [0.5, 0.5],
      transition: [
        [0.75, 0.25],
        [0, 1],
      ],
      a: 2,
      beta: 10,
      delta: 0.5,
      qMax: 10,
      esCount: 1,
    };
    const item = (q: number, reward: number) => ({ q, reward });
    const contract = {
      period1: [item(1, 5), item(2, 10)],
      period2: [
        [item(1, 4), item(1, 3)],
        [item(0, 0), item(1, 2.5)],
      ],
    };
    // u(theta; q, R) = R - a q^2 / theta
    const u = typeUtilities(market, contract);
    expect(u[0]!.period1).toBeCloseTo(5 - 2 / 0.5, 12);
    expect(u[0]!.period2).toBeCloseTo(0.75 * (4 - 4) + 0.25 * (3 - 2), 12);
    expect(u[0]!.total).toBeCloseTo(1 + 0.5 * 0.25, 12);
    expect(u[1]!.period1).toBeCloseTo(10 - 8, 12);
    expect(u[1]!.total).toBeCloseTo(2 + 0.5 * 0.5, 12);
  });

  test('history labels follow the row-major order of period2', () => {
    expect(historyLabels(2)).toEqual(['θ1→θ1', 'θ1→θ2', 'θ2→θ1', 'θ2→θ2']);
  });
});
