/**
 * ActorInference (the tfjs-free forward pass) against the tfjs chain of DiffusionActor: same actions
 * to float32 rounding for plain, masked and physically compacted weights, in batches that span
 * several passes, and with the noise stream left in the same state.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { DiffusionActor } from './actor.js';
import { ActorInference } from './infer.js';
import { packArtefact, tensorOf, type WeightsArtefact } from './nn/artefact.js';
import { setFastKernels } from './nn/fast.js';
import { createNoise } from './nn/noise.js';
import { useTestBackend } from './test-backend.js';

await useTestBackend();
afterAll(() => setFastKernels(true));

const S = 18;
const A = 24;
const rng = createNoise(5);
const states = (n: number) => Float32Array.from({ length: n * S }, () => rng.nextFloat());

/** Actions of the reference tfjs chain (fast paths off). */
function tfjsAct(actor: DiffusionActor, s: Float32Array, seed: number, deterministic = false): Float32Array {
  setFastKernels(false);
  try {
    return actor.act(s, createNoise(seed), deterministic);
  } finally {
    setFastKernels(true);
  }
}

/** Keep mask of n units dropping every `every`-th one from `offset`. */
function keepMask(n: number, every: number, offset: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => (i % every === offset ? 0 : 1));
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

describe('ActorInference equals the tfjs chain', () => {
  const actor = new DiffusionActor({ stateDim: S, actionDim: A, seed: 4, hidden: [64, 48], steps: 4 });

  test.each([1, 3, 300])(
    '%i states, stochastic and deterministic; the noise stream ends in the same state',
    (n) => {
      const s = states(n);
      const inference = new ActorInference(actor.toArtefact());
      for (const deterministic of [false, true]) {
        const noise = createNoise(8);
        const fast = inference.act(s, noise, deterministic);
        const ref = tfjsAct(actor, s, 8, deterministic);
        expect(maxDiff(fast, ref)).toBeLessThan(1e-5);
        const refNoise = createNoise(8);
        if (!deterministic) refNoise.normals(n * A * 4); // x_T and three stochastic steps
        expect(noise.state()).toEqual(refNoise.state());
      }
    },
  );

  test('masked actor: masks folded into the weights act exactly like masks on the activations', () => {
    const masked = new DiffusionActor({ stateDim: S, actionDim: A, seed: 6, hidden: [64, 48] });
    const keep = (n: number, every: number) => keepMask(n, every, 0);
    masked.setUnitMasks([keep(32, 3), keep(64, 4), keep(48, 5)]);
    const s = states(20);
    const fast = new ActorInference(masked.toArtefact()).act(s, createNoise(2));
    expect(maxDiff(fast, tfjsAct(masked, s, 2))).toBeLessThan(1e-5);
    // and the masks matter: without them the actions differ
    masked.setUnitMasks(null);
    expect(maxDiff(fast, tfjsAct(masked, s, 2))).toBeGreaterThan(1e-3);
    masked.dispose();
  });

  test('a compacted export (pruned units removed) gives the masked actor’s actions', () => {
    const pruned = new DiffusionActor({ stateDim: S, actionDim: A, seed: 7, hidden: [64, 48] });
    const keep = (n: number, every: number) => keepMask(n, every, 1);
    const masks = [keep(32, 4), keep(64, 3), keep(48, 2)];
    pruned.setUnitMasks(masks);
    const art = pruned.toArtefact();
    const compacted = compact(art, masks);
    // physically smaller
    expect(tensorOf(compacted, 'eps.1.kernel').length).toBeLessThan(tensorOf(art, 'eps.1.kernel').length / 2);
    const s = states(9);
    const fast = new ActorInference(compacted).act(s, createNoise(3));
    expect(maxDiff(fast, tfjsAct(pruned, s, 3))).toBeLessThan(1e-5);
    pruned.dispose();
  });

  test('DiffusionActor.fromArtefact loads a compacted export and acts like the masked actor', () => {
    const pruned = new DiffusionActor({ stateDim: S, actionDim: A, seed: 9, hidden: [64, 48] });
    const keep = (n: number, every: number) => keepMask(n, every, 2);
    const masks = [keep(32, 5), keep(64, 3), keep(48, 4)];
    pruned.setUnitMasks(masks);
    const compacted = compact(pruned.toArtefact(), masks);
    expect(compacted.manifest.tensors.find((t) => t.name === 'time.0.kernel')!.shape).toEqual([16, 26]);
    const loaded = DiffusionActor.fromArtefact(compacted);
    expect(loaded.config.hidden).toEqual([43, 36]);
    // the padded time units are masked: the gates show exactly the 26 kept ones
    expect(loaded.unitGates()[0]!.reduce((a, b) => a + b, 0)).toBe(26);
    const s = states(7);
    expect(maxDiff(tfjsAct(loaded, s, 4), tfjsAct(pruned, s, 4))).toBeLessThan(1e-5);
    expect(
      maxDiff(loaded.act(s, createNoise(4)), new ActorInference(compacted).act(s, createNoise(4))),
    ).toBeLessThan(1e-5);
    pruned.dispose();
    loaded.dispose();
  });

  test('DiffusionActor.act reloads its inference weights after they change', () => {
    const a = new DiffusionActor({ stateDim: S, actionDim: A, seed: 1, hidden: [32, 32] });
    const b = new DiffusionActor({ stateDim: S, actionDim: A, seed: 2, hidden: [32, 32] });
    const s = states(4);
    const before = a.act(s, createNoise(1));
    a.copyFrom(b);
    const after = a.act(s, createNoise(1));
    expect(maxDiff(after, b.act(s, createNoise(1)))).toBe(0);
    expect(maxDiff(after, before)).toBeGreaterThan(1e-3);
    a.dispose();
    b.dispose();
  });

  test('bad input: a state count that is not whole', () => {
    expect(() => new ActorInference(actor.toArtefact()).act(new Float32Array(S + 1), createNoise(1))).toThrow(
      /not a multiple of stateDim 18/,
    );
  });
});

/** Removes masked hidden units from the artefact (rows and columns), as an exporter would. */
function compact(art: WeightsArtefact, masks: Float32Array[]): WeightsArtefact {
  const kept = masks.map((m) => [...m.keys()].filter((i) => m[i] !== 0));
  const cfg = art.manifest.config as { stateDim: number; actionDim: number; timeEmbedding: number };
  const get = (name: string) => {
    const entry = art.manifest.tensors.find((t) => t.name === name)!;
    return { shape: entry.shape as [number, number], values: tensorOf(art, name) };
  };
  const pick = (name: string, rows: number[] | null, cols: number[] | null) => {
    const { shape, values } = get(name);
    const [r, c] = shape.length === 2 ? shape : [1, shape[0]!];
    const rr = rows ?? [...Array(r).keys()];
    const cc = cols ?? [...Array(c).keys()];
    const out = new Float32Array(rr.length * cc.length);
    rr.forEach((i, a) => {
      cc.forEach((j, b) => {
        out[a * cc.length + b] = values[i * c + j]!;
      });
    });
    return { name, shape: shape.length === 2 ? [rr.length, cc.length] : [cc.length], values: out };
  };
  const inRows = cfg.actionDim + cfg.timeEmbedding + cfg.stateDim;
  return packArtefact('diffusion', { ...art.manifest.config, hidden: [kept[1]!.length, kept[2]!.length] }, [
    pick('time.0.kernel', null, kept[0]!),
    pick('time.0.bias', null, kept[0]!),
    pick('time.1.kernel', kept[0]!, null),
    pick('time.1.bias', null, null),
    pick('eps.0.kernel', [...Array(inRows).keys()], kept[1]!),
    pick('eps.0.bias', null, kept[1]!),
    pick('eps.1.kernel', kept[1]!, kept[2]!),
    pick('eps.1.bias', null, kept[2]!),
    pick('eps.2.kernel', kept[2]!, null),
    pick('eps.2.bias', null, null),
  ]);
}
