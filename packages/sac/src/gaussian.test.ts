import { createNoise, tensorOf, type WeightsArtefact } from '@diffcontract/diffusion-actor';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import { GaussianActor } from './gaussian.js';
import { useTestBackend } from './test-backend.js';

await useTestBackend();

const S = 3;
const A = 2;
const states = new Float32Array([0.2, -0.4, 0.9, -1, 0.5, 0.1, 0, 0, 0, 3, -2, 1]);

/** Independent float64 forward of the MLP head: mean and log-std per state. */
function head(art: WeightsArtefact, s: Float32Array, lo: number, hi: number) {
  const layers = art.manifest.tensors.filter((t) => t.name.endsWith('.kernel')).length;
  const mish = (v: number) => v * Math.tanh(Math.log1p(Math.exp(v)));
  let h = Array.from(s);
  for (let l = 0; l < layers; l++) {
    const k = art.manifest.tensors.find((t) => t.name === `net.${l}.kernel`)!;
    const [inD, outD] = k.shape as [number, number];
    const w = tensorOf(art, `net.${l}.kernel`);
    const b = tensorOf(art, `net.${l}.bias`);
    h = Array.from({ length: outD }, (_, j) => {
      let z = b[j]!;
      for (let i = 0; i < inD; i++) z += h[i]! * w[i * outD + j]!;
      return l < layers - 1 ? mish(z) : z;
    });
  }
  return { mean: h.slice(0, A), logStd: h.slice(A).map((r) => lo + 0.5 * (hi - lo) * (Math.tanh(r) + 1)) };
}

describe('GaussianActor', () => {
  const actor = new GaussianActor({ stateDim: S, actionDim: A, hidden: [16, 16], seed: 2 });

  test('log-density with tanh correction equals an independent float64 computation', () => {
    const art = actor.toArtefact();
    const eps = createNoise(3).normals(4 * A);
    const { actions, logProb } = tf.tidy(() => {
      const out = actor.sample(tf.tensor2d(states, [4, S]), createNoise(3));
      return { actions: out.actions.dataSync(), logProb: out.logProb.dataSync() };
    });
    for (let b = 0; b < 4; b++) {
      const { mean, logStd } = head(art, states.subarray(b * S, (b + 1) * S), -5, 2);
      let lp = 0;
      for (let d = 0; d < A; d++) {
        const u = mean[d]! + Math.exp(logStd[d]!) * eps[b * A + d]!;
        const a = Math.tanh(u);
        expect(actions[b * A + d]).toBeCloseTo(a, 5);
        // density of u, then change of variables a = tanh(u): |da/du| = 1 - tanh(u)^2
        lp += -0.5 * ((u - mean[d]!) / Math.exp(logStd[d]!)) ** 2 - logStd[d]! - 0.5 * Math.log(2 * Math.PI);
        lp -= Math.log(1 - a * a);
      }
      expect(logProb[b]).toBeCloseTo(lp, 3);
    }
  });

  test('the density integrates to 1 over [-1, 1] (1-D actor, numeric quadrature over u)', () => {
    // Sampling with eps on a grid maps to u on a grid; integrate p(a) da = p(a(u)) (1 - tanh^2 u) du.
    const one = new GaussianActor({ stateDim: 1, actionDim: 1, hidden: [8], seed: 5 });
    const n = 4001;
    const grid = Float32Array.from({ length: n }, (_, i) => -8 + (16 * i) / (n - 1));
    const fixed = { normals: () => grid } as unknown as Parameters<GaussianActor['sample']>[1];
    const { actions, logProb } = tf.tidy(() => {
      const out = one.sample(tf.fill([n, 1], 0.3) as tf.Tensor2D, fixed);
      return { actions: out.actions.dataSync(), logProb: out.logProb.dataSync() };
    });
    let integral = 0;
    for (let i = 1; i < n; i++) {
      const da = actions[i]! - actions[i - 1]!;
      integral += 0.5 * (Math.exp(logProb[i]!) + Math.exp(logProb[i - 1]!)) * da;
    }
    expect(integral).toBeCloseTo(1, 2);
    one.dispose();
  });

  test('deterministic action is tanh(mean) and ignores the noise', () => {
    const { mean } = head(actor.toArtefact(), states.subarray(0, S), -5, 2);
    const a = actor.act(states.subarray(0, S), createNoise(1), true);
    expect(a[0]).toBeCloseTo(Math.tanh(mean[0]!), 5);
    expect(a[1]).toBeCloseTo(Math.tanh(mean[1]!), 5);
  });

  test('gradients of actions and log-density reach every weight', () => {
    const s = tf.tensor2d(states, [4, S]);
    const { value, grads } = tf.variableGrads(() => {
      const out = actor.sample(s, createNoise(1));
      return tf.add(tf.sum(out.actions), tf.sum(out.logProb)) as tf.Scalar;
    }, actor.variables as tf.Variable[]);
    for (const v of actor.variables)
      expect(
        tf.tidy(() => tf.norm(grads[v.name]!).dataSync()[0]!),
        v.name,
      ).toBeGreaterThan(0);
    tf.dispose([s, value, grads]);
  });

  test('artefact round trip gives identical actions; bad config names the field', () => {
    const copy = GaussianActor.fromArtefact(actor.toArtefact());
    expect(copy.act(states, createNoise(4))).toEqual(actor.act(states, createNoise(4)));
    copy.dispose();
    expect(() => new GaussianActor({ stateDim: 1, actionDim: 1, logStdMax: -9 })).toThrow(
      'gaussian.logStdMax: must be > logStdMin (-9)',
    );
  });
});
