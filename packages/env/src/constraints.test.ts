import { describe, expect, it } from 'vitest';
import { constraintCount, constraintIndices, itemCount, period2Item } from './constraints.js';

describe('constraintIndices', () => {
  it('lists K = 2 in the order of model.md section 4, written out by hand', () => {
    expect(constraintIndices(2)).toEqual([
      { family: 'IR1', i: 0 },
      { family: 'IR1', i: 1 },
      { family: 'IR2', i: 0, j: 0 },
      { family: 'IR2', i: 0, j: 1 },
      { family: 'IR2', i: 1, j: 0 },
      { family: 'IR2', i: 1, j: 1 },
      { family: 'IC2', i: 0, j: 0, jPrime: 1 },
      { family: 'IC2', i: 0, j: 1, jPrime: 0 },
      { family: 'IC2', i: 1, j: 0, jPrime: 1 },
      { family: 'IC2', i: 1, j: 1, jPrime: 0 },
      { family: 'IIC', i: 0, iPrime: 1 },
      { family: 'IIC', i: 1, iPrime: 0 },
    ]);
  });

  it('has constraintCount(K) distinct instances, no misreport of a type as itself', () => {
    for (let K = 1; K <= 6; K++) {
      const list = constraintIndices(K);
      expect(list).toHaveLength(constraintCount(K));
      expect(new Set(list.map((c) => JSON.stringify(c))).size).toBe(list.length);
      for (const c of list) {
        if (c.family === 'IC2') expect(c.jPrime).not.toBe(c.j);
        if (c.family === 'IIC') expect(c.iPrime).not.toBe(c.i);
      }
    }
    // K = 1: one IR1, one IR2, nobody to imitate
    expect(constraintIndices(1).map((c) => c.family)).toEqual(['IR1', 'IR2']);
  });

  it('is shared per K and frozen, so no caller can reorder it for the others', () => {
    expect(constraintIndices(3)).toBe(constraintIndices(3));
    expect(Object.isFrozen(constraintIndices(3))).toBe(true);
    expect(Object.isFrozen(constraintIndices(3)[0])).toBe(true);
  });
});

describe('items', () => {
  it('numbers period 1 first, then period 2 row by row', () => {
    expect(itemCount(3)).toBe(12);
    expect(period2Item(3, 0, 0)).toBe(3);
    expect(period2Item(3, 2, 2)).toBe(11);
    const seen = new Set<number>();
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) seen.add(period2Item(3, i, j));
    expect([...seen].sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});
