import { createNoise } from '@diffcontract/diffusion-actor';
import { describe, expect, test } from 'vitest';
import { allocateBatch, ReplayBuffer } from './replay.js';

/** transition k has state [k, k+0.5], action [-k], reward 10k */
function rows(from: number, to: number) {
  const ks = Array.from({ length: to - from }, (_, i) => from + i);
  return {
    states: ks.flatMap((k) => [k, k + 0.5]),
    actions: ks.map((k) => -k),
    rewards: ks.map((k) => 10 * k),
  };
}

describe('ReplayBuffer', () => {
  test('wraps around: keeps the newest `capacity` transitions in insertion order', () => {
    const buf = new ReplayBuffer({ capacity: 3, stateDim: 2, actionDim: 1 });
    const r1 = rows(0, 2);
    buf.add(r1.states, r1.actions, r1.rewards);
    expect(buf.size).toBe(2);
    const r2 = rows(2, 5);
    buf.add(r2.states, r2.actions, r2.rewards);
    expect(buf.size).toBe(3);
    expect([0, 1, 2].map((i) => buf.at(i).reward)).toEqual([20, 30, 40]);
    expect(Array.from(buf.at(0).state)).toEqual([2, 2.5]);
    expect(Array.from(buf.at(2).action)).toEqual([-4]);
    // More than capacity in one call: only the last three survive.
    const r3 = rows(5, 12);
    buf.add(r3.states, r3.actions, r3.rewards);
    expect([0, 1, 2].map((i) => buf.at(i).reward)).toEqual([90, 100, 110]);
  });

  test('samples only stored transitions, rows stay consistent, roughly uniform', () => {
    const buf = new ReplayBuffer({ capacity: 4, stateDim: 2, actionDim: 1 });
    const r = rows(0, 6); // keeps 2..5
    buf.add(r.states, r.actions, r.rewards);
    const batch = allocateBatch(4000, 2, 1);
    buf.sample(createNoise(1), batch);
    const counts = new Map<number, number>();
    for (let b = 0; b < batch.size; b++) {
      const k = batch.rewards[b]! / 10;
      expect(k).toBeGreaterThanOrEqual(2);
      expect(k).toBeLessThanOrEqual(5);
      expect(batch.states[2 * b]).toBe(k);
      expect(batch.states[2 * b + 1]).toBe(k + 0.5);
      expect(batch.actions[b]).toBe(-k);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(5 * Math.sqrt(1000 * 0.75));
  });

  test('sampling is reproducible from the rng state', () => {
    const buf = new ReplayBuffer({ capacity: 50, stateDim: 2, actionDim: 1 });
    const r = rows(0, 50);
    buf.add(r.states, r.actions, r.rewards);
    const a = buf.sample(createNoise(5), allocateBatch(16, 2, 1));
    const b = buf.sample(createNoise(5), allocateBatch(16, 2, 1));
    expect(a).toEqual(b);
  });

  test('snapshot round trip preserves contents and the write position', () => {
    const buf = new ReplayBuffer({ capacity: 3, stateDim: 2, actionDim: 1 });
    const r = rows(0, 4);
    buf.add(r.states, r.actions, r.rewards);
    const copy = ReplayBuffer.fromSnapshot(buf.snapshot());
    const more = rows(4, 5);
    buf.add(more.states, more.actions, more.rewards);
    copy.add(more.states, more.actions, more.rewards);
    expect([0, 1, 2].map((i) => copy.at(i).reward)).toEqual([0, 1, 2].map((i) => buf.at(i).reward));
  });

  test('bad input names the field and value', () => {
    expect(() => new ReplayBuffer({ capacity: 0, stateDim: 2, actionDim: 1 })).toThrow(
      'replay.capacity: must be an integer >= 1 (0)',
    );
    const buf = new ReplayBuffer({ capacity: 3, stateDim: 2, actionDim: 1 });
    expect(() => buf.add([1], [1], [1])).toThrow('replay.add: states has 1 values, expected 2');
    expect(() => buf.sample(createNoise(1), allocateBatch(1, 2, 1))).toThrow(
      'replay.sample: buffer is empty',
    );
  });
});
