import { describe, expect, test } from 'vitest';
import { DiffusionActor } from './actor.js';
import { ActorInference } from './infer.js';
import { packArtefact, tensorOf, type WeightsArtefact } from './nn/artefact.js';
import { createNoise } from './nn/noise.js';
import { useTestBackend } from './test-backend.js';
import { actorUnitsOfArtefact, compactedArtefact, layerKeepValues } from './units.js';

await useTestBackend();

const S = 3;
const A = 2;
const E = 4;
const H = [6, 5];

function maskedActor(): DiffusionActor {
  const actor = new DiffusionActor({
    stateDim: S,
    actionDim: A,
    hidden: H,
    timeEmbedding: E,
    steps: 3,
    seed: 5,
  });
  actor.setUnitMasks([
    Float32Array.from({ length: 2 * E }, (_, j) => (j === 2 ? 0 : 1)),
    Float32Array.from({ length: H[0]! }, (_, j) => (j % 2 === 0 ? 0 : 1)),
    Float32Array.from({ length: H[1]! }, (_, j) => (j === 4 ? 0 : 1)),
  ]);
  return actor;
}

/** The artefact with every tensor but `mask.*` kept, values copied. */
function withoutMasks(artefact: WeightsArtefact): WeightsArtefact {
  const tensors = artefact.manifest.tensors
    .filter((t) => !t.name.startsWith('mask.'))
    .map((t) => ({ name: t.name, shape: t.shape, values: tensorOf(artefact, t.name).slice() }));
  return packArtefact(artefact.manifest.kind, artefact.manifest.config, tensors);
}

describe('actor units of an artefact', () => {
  test('read a saved policy as the actor describes itself, masks included; written back unchanged', () => {
    const actor = maskedActor();
    const artefact = actor.toArtefact();
    const units = actorUnitsOfArtefact(artefact);
    const own = actor.prunableUnits();
    expect(units.layers.map((l) => [l.name, l.inDim, l.outDim, l.activation])).toEqual(
      own.layers.map((l) => [l.name, l.inDim, l.outDim, l.activation]),
    );
    expect(units.groups).toEqual(own.groups);
    units.layers.forEach((l, i) => {
      expect(l.kernel).toEqual(own.layers[i]!.kernel);
      expect(l.bias).toEqual(own.layers[i]!.bias);
    });
    expect(units.masks?.map((m) => [...m])).toEqual(actor.unitGates().map((g) => [...g]));
    const back = compactedArtefact(artefact, units);
    const expected = withoutMasks(artefact);
    expect(back.manifest).toEqual(expected.manifest);
    expect(back.values).toEqual(expected.values);
    expect(actorUnitsOfArtefact(back).masks).toBeNull();
    actor.dispose();
  });

  test('a hand-compacted policy (masked units removed) reads back with its new widths and acts the same', () => {
    const actor = maskedActor();
    const artefact = actor.toArtefact();
    const units = actorUnitsOfArtefact(artefact);
    const masks = units.masks!;
    const keepRows = (values: Float32Array, cols: number, rows: Uint8Array | null) =>
      Float32Array.from(values).filter((_, e) => rows === null || rows[Math.floor(e / cols)] === 1);
    const keepCols = (values: Float32Array, cols: number, keep: Uint8Array) =>
      values.filter((_, e) => keep[e % cols] === 1);
    // producer columns of group g, consumer rows of group g (each group feeds the next layer)
    const colsOf = (l: number) => masks[units.groups.findIndex((g) => g.layer === l)] ?? null;
    const rowsOf = (l: number) => masks[units.groups.findIndex((g) => g.layer + 1 === l)] ?? null;
    const layers = units.layers.map((layer, l) => {
      const rows = rowsOf(l);
      const cols = colsOf(l);
      let kernel = keepRows(layer.kernel, layer.outDim, rows);
      if (cols) kernel = keepCols(kernel, layer.outDim, cols);
      const count = (m: Uint8Array | null, all: number) => (m ? m.reduce((s, v) => s + v, 0) : all);
      return {
        inDim: count(rows, layer.inDim),
        outDim: count(cols, layer.outDim),
        kernel,
        bias: cols ? keepCols(layer.bias, layer.outDim, cols) : layer.bias,
      };
    });
    const small = compactedArtefact(artefact, { layers });
    expect(small.manifest.config.hidden).toEqual([3, 4]);
    const again = actorUnitsOfArtefact(small);
    expect(again.layers.map((l) => [l.inDim, l.outDim])).toEqual([
      [E, 7],
      [7, E],
      [A + E + S, 3],
      [3, 4],
      [4, A],
    ]);
    const states = Float32Array.from({ length: 4 * S }, (_, i) => Math.cos(i));
    const a = actor.act(states, createNoise(3));
    const b = new ActorInference(small).act(states, createNoise(3));
    a.forEach((v, i) => {
      expect(Math.abs(v - b[i]!)).toBeLessThan(1e-5);
    });
    actor.dispose();
  });

  test('a layer that does not read its predecessor is an error naming the tensor', () => {
    const artefact = maskedActor().toArtefact();
    const wrongState = {
      ...artefact,
      manifest: { ...artefact.manifest, config: { ...artefact.manifest.config, stateDim: 4 } },
    };
    expect(() => actorUnitsOfArtefact(wrongState)).toThrow(
      'weights: tensors.eps.0.kernel: expected 10 rows (9)',
    );
    const noMatrix = {
      ...artefact,
      manifest: {
        ...artefact.manifest,
        tensors: artefact.manifest.tensors.filter((t) => t.name !== 'time.1.kernel'),
      },
    };
    expect(() => actorUnitsOfArtefact(noMatrix)).toThrow(
      'weights: tensors.time.1.kernel: missing or not a matrix',
    );
  });

  test('layer keep values are the outer product of input and output keep', () => {
    const keep = layerKeepValues(
      [
        { inDim: 2, outDim: 3 },
        { inDim: 3, outDim: 2 },
        { inDim: 4, outDim: 2 },
        { inDim: 2, outDim: 1 },
      ],
      [
        [1, 0, 1],
        [0, 1],
      ],
    );
    expect(keep.map((k) => [[...k.kernel], [...k.bias]])).toEqual([
      [
        [1, 0, 1, 1, 0, 1],
        [1, 0, 1],
      ],
      [
        [1, 1, 0, 0, 1, 1],
        [1, 1],
      ],
      [
        [0, 1, 0, 1, 0, 1, 0, 1],
        [0, 1],
      ],
      [[0, 1], [1]],
    ]);
  });
});
