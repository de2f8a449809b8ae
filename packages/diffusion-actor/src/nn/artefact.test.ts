import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { combineArtefacts, loadArtefact, packArtefact, partOf, saveArtefact, tensorOf } from './artefact.js';

const sample = () =>
  packArtefact('demo', { width: 2 }, [
    { name: 'w', shape: [2, 3], values: new Float32Array([1, 2, 3, 4, 5, 6]) },
    { name: 'b', shape: [3], values: new Float32Array([0.5, -0.25, 1e-8]) },
  ]);

describe('weights artefacts', () => {
  test('pack lays tensors out back to back with float offsets', () => {
    const a = sample();
    expect(a.manifest.tensors).toEqual([
      { name: 'w', shape: [2, 3], offset: 0 },
      { name: 'b', shape: [3], offset: 6 },
    ]);
    expect(a.manifest.length).toBe(9);
    expect(Array.from(tensorOf(a, 'b', [3]))).toEqual([0.5, -0.25, Math.fround(1e-8)]);
    expect(() => tensorOf(a, 'w', [3, 2])).toThrow('weights: tensors.w.shape: expected [3, 2] (got [2, 3])');
    expect(() => tensorOf(a, 'x')).toThrow('weights: tensors: missing tensor (x)');
  });

  test('files round trip bit for bit; the binary is little-endian float32', () => {
    const dir = mkdtempSync(join(tmpdir(), 'artefact-'));
    const a = sample();
    saveArtefact(join(dir, 'm'), a);
    const back = loadArtefact(join(dir, 'm'));
    expect(back.manifest).toEqual(a.manifest);
    expect(back.values).toEqual(a.values);
    const bytes = readFileSync(join(dir, 'm.bin'));
    expect(bytes.length).toBe(36);
    expect(bytes.readFloatLE(4)).toBe(2);
  });

  test('truncated binary and wrong format are reported with the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'artefact-'));
    saveArtefact(join(dir, 'm'), sample());
    writeFileSync(join(dir, 'm.bin'), new Uint8Array(8));
    expect(() => loadArtefact(join(dir, 'm'))).toThrow(`${join(dir, 'm.bin')}: expected 36 bytes (8)`);
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ format: 'other' }));
    expect(() => loadArtefact(join(dir, 'm'))).toThrow('format: expected diffcontract-weights (other)');
  });

  test('combine and partOf are inverse', () => {
    const a = sample();
    const c = combineArtefacts('agent', { step: 3 }, { one: a, two: a }, [
      { name: 'extra', shape: [1], values: new Float32Array([7]) },
    ]);
    const two = partOf(c, 'two');
    expect(two.manifest).toEqual(a.manifest);
    expect(two.values).toEqual(a.values);
    expect(tensorOf(c, 'extra')[0]).toBe(7);
    expect(() => partOf(c, 'three')).toThrow('weights: config.parts: missing part (three)');
  });
});
