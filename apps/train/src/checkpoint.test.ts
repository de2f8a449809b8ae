import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointName, listCheckpoints, loadCheckpoint, saveCheckpoint } from './checkpoint.js';

describe('checkpoints', () => {
  it('round-trip state and float blobs bit for bit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-'));
    const f32 = new Float32Array([1.5, -0, Number.NaN, 3.4028234663852886e38, 1e-45]);
    const f64 = new Float64Array([0.1, Math.PI, -Number.MIN_VALUE]);
    saveCheckpoint(dir, {
      step: 7,
      state: { a: [1, 2], spare: 0.30000000000000004 },
      blobs: { w: f32, 'rng-x': f64 },
    });
    const cp = loadCheckpoint<{ a: number[]; spare: number }>(dir)!;
    expect(cp.step).toBe(7);
    expect(cp.state).toEqual({ a: [1, 2], spare: 0.30000000000000004 });
    expect(cp.blobs.w).toBeInstanceOf(Float32Array);
    expect(new Uint8Array(cp.blobs.w!.buffer)).toEqual(new Uint8Array(f32.buffer));
    expect(cp.blobs['rng-x']).toBeInstanceOf(Float64Array);
    expect(Array.from(cp.blobs['rng-x']!)).toEqual(Array.from(f64));
  });

  it('keeps the newest checkpoints and ignores incomplete ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-'));
    for (const step of [10, 20, 30]) saveCheckpoint(dir, { step, state: { step }, blobs: {} }, 2);
    expect(listCheckpoints(dir)).toEqual([20, 30]);
    // A run killed mid-save leaves a temporary directory behind: it is never read.
    const torn = join(dir, `.tmp-${checkpointName(40)}-1`);
    mkdirSync(torn);
    writeFileSync(join(torn, 'state.json'), '{"trunc');
    expect(loadCheckpoint<{ step: number }>(dir)!.state.step).toBe(30);
    expect(loadCheckpoint<{ step: number }>(dir, 20)!.state.step).toBe(20);
    saveCheckpoint(dir, { step: 50, state: { step: 50 }, blobs: {} }, 2);
    expect(readdirSync(dir).sort()).toEqual([checkpointName(30), checkpointName(50)]);
  });

  it('returns null when there is no checkpoint', () => {
    expect(loadCheckpoint(mkdtempSync(join(tmpdir(), 'cp-')))).toBeNull();
    expect(loadCheckpoint(join(tmpdir(), 'does-not-exist-cp'))).toBeNull();
  });
});
