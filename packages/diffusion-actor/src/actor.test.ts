import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, test } from 'vitest';
import { createDiffusionActor, DiffusionActor, sinusoidalEmbedding } from './actor.js';
import { loadArtefact, saveArtefact, tensorOf, type WeightsArtefact } from './nn/artefact.js';
import { createNoise } from './nn/noise.js';
import { vpSchedule } from './schedule.js';
import { useTestBackend } from './test-backend.js';

await useTestBackend();

const S = 5;
const A = 4;
const small = { stateDim: S, actionDim: A, hidden: [32, 32], seed: 3 };
const states = new Float32Array(Array.from({ length: 6 * S }, (_, i) => Math.sin(i * 1.7)));

/**
 * Independent float64 re-implementation of model.md's sampler, written from the formulas: one
 * concatenated first layer over [x_t, t_emb, s], Mish, DDPM posterior mean, clamp. Reads weights
 * from the artefact and uses the actor's documented noise order.
 */
function referenceChain(art: WeightsArtefact, s: Float32Array, noiseSeed: number | null): Float64Array {
  const cfg = art.manifest.config as { steps: number; timeEmbedding: number; hidden: number[] };
  const T = cfg.steps;
  const E = cfg.timeEmbedding;
  const B = s.length / S;
  const sch = vpSchedule({ steps: T });
  const mishF = (v: number) => v * Math.tanh(Math.log1p(Math.exp(v)));
  const layer = (x: number[], name: string, act: boolean) => {
    const k = art.manifest.tensors.find((t) => t.name === `${name}.kernel`)!;
    const [inD, outD] = k.shape as [number, number];
    const w = tensorOf(art, `${name}.kernel`);
    const b = tensorOf(art, `${name}.bias`);
    const y: number[] = [];
    for (let j = 0; j < outD; j++) {
      let z = b[j]!;
      for (let i = 0; i < inD; i++) z += x[i]! * w[i * outD + j]!;
      y.push(act ? mishF(z) : z);
    }
    return y;
  };
  const emb = sinusoidalEmbedding(T, E);
  const stochastic = T - 1;
  const draws =
    noiseSeed === null
      ? new Float32Array(B * A * (1 + stochastic))
      : createNoise(noiseSeed).normals(B * A * (1 + stochastic));
  const out = new Float64Array(B * A);
  for (let b = 0; b < B; b++) {
    let x = Array.from(draws.subarray(b * A, (b + 1) * A));
    const sb = Array.from(s.subarray(b * S, (b + 1) * S));
    let k = 1;
    for (let i = T - 1; i >= 0; i--) {
      const tEmb = layer(
        layer(Array.from(emb.subarray(i * E, (i + 1) * E)), 'time.0', true),
        'time.1',
        false,
      );
      let h = layer([...x, ...tEmb, ...sb], 'eps.0', true);
      for (let l = 1; l < cfg.hidden.length; l++) h = layer(h, `eps.${l}`, true);
      const eps = layer(h, `eps.${cfg.hidden.length}`, false);
      const x0 = x.map((xv, d) =>
        Math.min(1, Math.max(-1, sch.sqrtRecipAlphaBar[i]! * xv - sch.sqrtRecipM1AlphaBar[i]! * eps[d]!)),
      );
      let next = x0.map((v, d) => sch.posteriorC1[i]! * v + sch.posteriorC2[i]! * x[d]!);
      if (i > 0) {
        const sigma = Math.sqrt(sch.posteriorVariance[i]!);
        const z = draws.subarray(k * B * A + b * A, k * B * A + (b + 1) * A);
        next = next.map((v, d) => v + sigma * z[d]!);
        k += 1;
      }
      x = next;
    }
    x.forEach((v, d) => {
      out[b * A + d] = Math.min(1, Math.max(-1, v));
    });
  }
  return out;
}

describe('DiffusionActor', () => {
  const actor = createDiffusionActor(small);
  afterAll(() => actor.dispose());

  test('matches an independent float64 implementation of the sampler (noisy and noise-free)', () => {
    const art = actor.toArtefact();
    const got = actor.act(states, createNoise(42));
    const want = referenceChain(art, states, 42);
    got.forEach((v, i) => {
      expect(Math.abs(v - want[i]!)).toBeLessThan(2e-5);
    });
    const det = actor.act(states, createNoise(1), true);
    const wantDet = referenceChain(art, states, null);
    det.forEach((v, i) => {
      expect(Math.abs(v - wantDet[i]!)).toBeLessThan(2e-5);
    });
  });

  test('batched sampling: shape [B, A], values in [-1, 1]', () => {
    const out = tf.tidy(() => {
      const { actions } = actor.sample(tf.tensor2d(states, [6, S]), createNoise(1));
      expect(actions.shape).toEqual([6, A]);
      return actions.dataSync();
    });
    for (const v of out) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    // The default sizes of model.md: state 18, action 24.
    const big = createDiffusionActor({ stateDim: 18, actionDim: 24 });
    expect(big.act(new Float32Array(3 * 18).fill(0.5), createNoise(0)).length).toBe(3 * 24);
    big.dispose();
  });

  test('deterministic under a seed; a different seed differs; deterministic mode consumes no noise', () => {
    const twin = createDiffusionActor(small);
    expect(twin.act(states, createNoise(9))).toEqual(actor.act(states, createNoise(9)));
    expect(actor.act(states, createNoise(9))).not.toEqual(actor.act(states, createNoise(10)));
    const noise = createNoise(4);
    const before = noise.state();
    expect(actor.act(states, noise, true)).toEqual(twin.act(states, createNoise(77), true));
    expect(noise.state()).toEqual(before);
    twin.dispose();
  });

  test('weight seed: same seed same weights, different seed different weights', () => {
    const other = createDiffusionActor({ ...small, seed: 4 });
    expect(Array.from(other.toArtefact().values)).not.toEqual(Array.from(actor.toArtefact().values));
    other.dispose();
  });

  test('the policy gradient reaches every weight through the whole chain', () => {
    const s = tf.tensor2d(states, [6, S]);
    const weights = tf.randomNormal([6, A], 0, 1, 'float32', 5);
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.mul(actor.sample(s, createNoise(2)).actions, weights)) as tf.Scalar,
      actor.variables as tf.Variable[],
    );
    expect(Object.keys(grads).length).toBe(actor.variables.length);
    for (const v of actor.variables) {
      const norm = tf.tidy(() => tf.norm(grads[v.name]!).dataSync()[0]!);
      expect(norm, v.name).toBeGreaterThan(0);
      expect(Number.isFinite(norm), v.name).toBe(true);
    }
    tf.dispose([s, weights, value, grads]);
  });

  test('save/load round trip through files gives identical actions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'diffusion-actor-'));
    saveArtefact(join(dir, 'actor'), actor.toArtefact());
    const loaded = DiffusionActor.fromArtefact(loadArtefact(join(dir, 'actor')));
    expect(loaded.config).toEqual(actor.config);
    expect(loaded.act(states, createNoise(13))).toEqual(actor.act(states, createNoise(13)));
    loaded.dispose();
  });

  test('no tensor leaks across sampling, gradients and inference', () => {
    const s = tf.tensor2d(states, [6, S]);
    const noise = createNoise(0);
    const step = () => {
      const { value, grads } = tf.variableGrads(
        () => tf.mean(actor.sample(s, noise).actions) as tf.Scalar,
        actor.variables as tf.Variable[],
      );
      tf.dispose([value, grads]);
      tf.tidy(() => {
        actor.entropy(s, noise);
      });
      actor.act(states, noise);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    s.dispose();
  });

  test('soft update moves every weight by exactly tau of the difference', () => {
    const a = createDiffusionActor({ ...small, seed: 1 });
    const b = createDiffusionActor({ ...small, seed: 2 });
    const wa = a.toArtefact().values;
    const wb = b.toArtefact().values;
    a.softUpdate(b, 0.25);
    const after = a.toArtefact().values;
    after.forEach((v, i) => {
      expect(v).toBeCloseTo(0.75 * wa[i]! + 0.25 * wb[i]!, 5);
    });
    const c = a.clone();
    expect(c.toArtefact().values).toEqual(after);
    tf.dispose([]);
    for (const x of [a, b, c]) x.dispose();
  });

  test('prunable units: the layers in artefact order with copies of its weights, one group per hidden layer', () => {
    const units = actor.prunableUnits();
    expect(units.layers.map((l) => [l.name, l.inDim, l.outDim, l.activation])).toEqual([
      ['time.0', 16, 32, 'mish'],
      ['time.1', 32, 16, 'linear'],
      ['eps.0', A + 16 + S, 32, 'mish'],
      ['eps.1', 32, 32, 'mish'],
      ['eps.2', 32, A, 'linear'],
    ]);
    // each group feeds the next layer from its first row, in setUnitMasks order
    expect(units.groups).toEqual(
      [0, 2, 3].map((l) => ({
        name: units.layers[l]!.name,
        layer: l,
        consumers: [{ layer: l + 1, rowOffset: 0 }],
      })),
    );
    const art = actor.toArtefact();
    units.layers.forEach((l) => {
      expect(l.kernel).toEqual(tensorOf(art, `${l.name}.kernel`));
      expect(l.bias).toEqual(tensorOf(art, `${l.name}.bias`));
    });
    units.layers[3]!.kernel.fill(0);
    expect(tensorOf(actor.toArtefact(), 'eps.1.kernel')).toEqual(tensorOf(art, 'eps.1.kernel'));
  });

  test('variable keep masks: 0 on exactly the weights a masked unit owns, per variable', () => {
    const masks = [new Float32Array(32).fill(1), new Float32Array(32).fill(1), new Float32Array(32).fill(1)];
    masks[0]![3] = 0;
    masks[1]![5] = 0;
    masks[2]![17] = 0;
    masks[2]![30] = 0;
    const keep = actor.variableKeepMasks(masks);
    expect(keep.map((k) => k.length)).toEqual(actor.variables.map((v) => v.size));
    const zeros = keep.map((k) => k.filter((v) => v === 0).length);
    // time.0 column 3 (16 rows) and bias; time.1 row 3 (16 wide); eps.0 column 5 in each row block
    // (x_t A, t_emb 16, s S rows) and bias; eps.1 row 5 (32) and columns 17, 30 (31 rows each, one
    // crossing row 5 already counted) and biases; eps.2 rows 17 and 30 (A wide)
    expect(zeros).toEqual([16, 1, 16, 0, A, 16, S, 1, 32 + 2 * 31, 2, 2 * A, 0]);
    expect(keep[8]![5 * 32 + 17]).toBe(0);
    expect(keep[8]![4 * 32 + 17]).toBe(0);
    expect(keep[8]![4 * 32 + 16]).toBe(1);
    expect(keep[1]![3]).toBe(0);
    expect(() => actor.variableKeepMasks([masks[0]!])).toThrow('masks: expected 3 arrays (1)');
    // zeroing those weights of the unmasked actor gives the masked actor's function
    const masked = actor.clone();
    masked.setUnitMasks(masks);
    const cut = actor.clone();
    cut.variables.forEach((v, i) => {
      tf.tidy(() => v.assign(tf.mul(v, tf.tensor(keep[i]!, v.shape))));
    });
    const a = masked.act(states, createNoise(8));
    const b = cut.act(states, createNoise(8));
    a.forEach((v, i) => {
      expect(Math.abs(v - b[i]!)).toBeLessThan(1e-6);
    });
    for (const x of [masked, cut]) x.dispose();
  });

  test('masking a unit equals removing its outgoing weights; masks survive save/load', () => {
    const masked = actor.clone();
    const masks = [new Float32Array(32).fill(1), new Float32Array(32).fill(1), new Float32Array(32).fill(1)];
    masks[1]![5] = 0;
    masks[2]![17] = 0;
    masked.setUnitMasks(masks);
    // Same function by construction: zero row 5 of eps.1.kernel and row 17 of eps.2.kernel.
    const art = actor.toArtefact();
    const cut = { manifest: art.manifest, values: art.values.slice() };
    tensorOf(cut, 'eps.1.kernel').fill(0, 5 * 32, 6 * 32);
    tensorOf(cut, 'eps.2.kernel').fill(0, 17 * A, 18 * A);
    const surgery = DiffusionActor.fromArtefact(cut);
    const a = masked.act(states, createNoise(8));
    const b = surgery.act(states, createNoise(8));
    a.forEach((v, i) => {
      expect(Math.abs(v - b[i]!)).toBeLessThan(1e-6);
    });
    expect(a).not.toEqual(actor.act(states, createNoise(8)));
    const reloaded = DiffusionActor.fromArtefact(masked.toArtefact());
    expect(reloaded.act(states, createNoise(8))).toEqual(a);
    expect(() => masked.setUnitMasks([new Float32Array(3)])).toThrow('masks: expected 3 arrays (1)');
    for (const x of [masked, surgery, reloaded]) x.dispose();
  });

  test('bad configuration gives a one-line error naming the field', () => {
    expect(() => createDiffusionActor({ stateDim: 0, actionDim: 2 })).toThrow(
      'diffusion.stateDim: must be an integer >= 1 (0)',
    );
    expect(() => createDiffusionActor({ stateDim: 2, actionDim: 2, hidden: [8, -1] })).toThrow(
      'diffusion.hidden[1]',
    );
    expect(() => createDiffusionActor({ stateDim: 2, actionDim: 2, steps: 5, extra: 1 } as never)).toThrow(
      'diffusion.extra: unknown key (1)',
    );
  });
});
