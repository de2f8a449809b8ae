import { packArtefact } from '@diffcontract/diffusion-actor';
import { describe, expect, test } from 'vitest';
import { typesOfStateDim } from './policy-types.js';
import { parseWeights } from './weights.js';

function files(kind = 'diffusion') {
  const artefact = packArtefact(kind, { stateDim: 18, actionDim: 24 }, [
    { name: 'w', shape: [2, 3], values: Float32Array.from([1, 2, 3, 4, 5, 6]) },
    { name: 'b', shape: [3], values: Float32Array.from([-1, 0.5, 7]) },
  ]);
  const v = artefact.values;
  return {
    text: JSON.stringify(artefact.manifest),
    bytes: v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer,
    artefact,
  };
}

describe('parseWeights', () => {
  test('reads what packArtefact writes, values and manifest alike', () => {
    const { text, bytes, artefact } = files();
    const read = parseWeights(text, bytes);
    expect(read.manifest).toEqual(artefact.manifest);
    expect([...read.values]).toEqual([1, 2, 3, 4, 5, 6, -1, 0.5, 7]);
  });

  test('names the file and the field of a bad pair', () => {
    const { text, bytes } = files();
    expect(() => parseWeights(text, bytes.slice(4))).toThrow(
      'policy.bin: expected 36 bytes for policy.json (32)',
    );
    expect(() => parseWeights('{', bytes)).toThrow(/^policy\.json: invalid JSON/);
    expect(() => parseWeights(files('gaussian').text, bytes)).toThrow(
      'policy.json: kind: the studio runs diffusion policies ("gaussian")',
    );
    const manifest = JSON.parse(text);
    manifest.tensors[1].offset = 7;
    expect(() => parseWeights(JSON.stringify(manifest), bytes)).toThrow(
      'policy.json: tensors[1]: shape or offset out of range ("b")',
    );
    expect(() => parseWeights(JSON.stringify({ ...manifest, format: 'x' }), bytes)).toThrow(
      'policy.json: format: expected diffcontract-weights ("x")',
    );
  });
});

describe('typesOfStateDim', () => {
  test('inverts 2K + K^2 + 3 and refuses other sizes', () => {
    for (let K = 1; K <= 6; K++) expect(typesOfStateDim(2 * K + K * K + 3)).toBe(K);
    expect(() => typesOfStateDim(19)).toThrow('policy: config.stateDim: not 2K + K^2 + 3 (19)');
    expect(() => typesOfStateDim('18')).toThrow('policy: config.stateDim');
  });
});
