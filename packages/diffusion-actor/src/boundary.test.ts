import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import { DiffusionActor } from './actor.js';
import { boundaryPenalty } from './boundary.js';
import { Adam } from './nn/adam.js';
import { createNoise } from './nn/noise.js';
import { useTestBackend } from './test-backend.js';

await useTestBackend();

describe('boundaryPenalty', () => {
  test('value and gradient match the closed form: zero inside [-1, 1], 2 c (|x| - 1) sign(x) / B outside', () => {
    const values = [0.5, -1.2, 1.5, -0.99, 1, -3];
    const x = tf.tensor2d(values, [2, 3]);
    const c = 4;
    const v = tf.variable(x, true, 'boundary.test.v');
    const g = tf.grad((t: tf.Tensor) => boundaryPenalty(t as tf.Tensor2D, c))(v);
    const expected = (c * (0.2 ** 2 + 0.5 ** 2 + 2 ** 2)) / 2;
    expect(boundaryPenalty(x as tf.Tensor2D, c).dataSync()[0]).toBeCloseTo(expected, 5);
    const grad = Array.from(g.dataSync());
    const expectedGrad = values.map((u) =>
      Math.abs(u) <= 1 ? 0 : (2 * c * (Math.abs(u) - 1) * Math.sign(u)) / 2,
    );
    grad.forEach((gi, i) => {
      expect(gi).toBeCloseTo(expectedGrad[i]!, 5);
    });
    expect(Math.abs(grad[0]!)).toBe(0);
    expect(Math.abs(grad[3]!)).toBe(0);
    expect(Math.abs(grad[4]!)).toBe(0);
    tf.dispose([x, v, g]);
  });
});

describe('diffusion actor boundary penalty', () => {
  const S = 3;
  const A = 4;
  const B = 16;
  const states = new Float32Array(Array.from({ length: B * S }, (_, i) => Math.cos(i * 0.7)));

  /** An actor whose output bias drives every predicted x0 far below -1 (all actions at the corner). */
  function saturated(boundaryPenalty: number): DiffusionActor {
    const actor = new DiffusionActor({
      stateDim: S,
      actionDim: A,
      hidden: [16, 16],
      seed: 1,
      boundaryPenalty,
    });
    const bias = actor.variables[actor.variables.length - 1]!;
    bias.assign(tf.fill([A], 50));
    return actor;
  }

  test('the clipped actions pass no gradient at the corner, the penalty does', () => {
    const actor = saturated(1);
    const s = tf.tensor2d(states, [B, S]);
    const vars = actor.variables as tf.Variable[];
    const viaActions = tf.variableGrads(
      () => tf.sum(actor.sample(s, createNoise(5)).actions) as tf.Scalar,
      vars,
    );
    const actions = tf.tidy(() => actor.sample(s, createNoise(5)).actions);
    expect(Array.from(actions.dataSync()).every((a) => a === -1)).toBe(true);
    const norm = (g: tf.NamedTensorMap) =>
      Object.values(g).reduce((acc, t) => acc + (tf.sum(tf.abs(t)).dataSync()[0] as number), 0);
    expect(norm(viaActions.grads)).toBe(0);
    const viaPenalty = tf.variableGrads(() => actor.sample(s, createNoise(5)).penalty!, vars);
    expect(viaPenalty.value.dataSync()[0]).toBeGreaterThan(0);
    expect(norm(viaPenalty.grads)).toBeGreaterThan(0);
    tf.dispose([
      s,
      actions,
      viaActions.value,
      viaPenalty.value,
      ...Object.values(viaActions.grads),
      ...Object.values(viaPenalty.grads),
    ]);
    actor.dispose();
  });

  test('minimising the penalty brings a saturated chain back inside the box', () => {
    const actor = saturated(1);
    const s = tf.tensor2d(states, [B, S]);
    const vars = actor.variables as tf.Variable[];
    const opt = new Adam(vars, { lr: 1e-2 });
    const atBound = () =>
      tf.tidy(() => {
        const a = actor.sample(s, createNoise(9)).actions.dataSync();
        return Array.from(a).filter((v) => Math.abs(v) === 1).length / a.length;
      });
    expect(atBound()).toBe(1);
    let penalty = Number.POSITIVE_INFINITY;
    for (let k = 0; k < 200 && penalty > 0; k++) {
      const step = tf.variableGrads(() => actor.sample(s, createNoise(k)).penalty!, vars);
      penalty = step.value.dataSync()[0] as number;
      opt.apply(vars.map((v) => step.grads[v.name]!));
      tf.dispose([step.value, ...Object.values(step.grads)]);
    }
    expect(atBound()).toBeLessThan(0.5);
    s.dispose();
    actor.dispose();
  });

  test('off (boundaryPenalty 0): no penalty; the actions do not depend on the setting', () => {
    const s = tf.tensor2d(states, [B, S]);
    const on = new DiffusionActor({
      stateDim: S,
      actionDim: A,
      hidden: [16, 16],
      seed: 2,
      boundaryPenalty: 3,
    });
    const off = new DiffusionActor({
      stateDim: S,
      actionDim: A,
      hidden: [16, 16],
      seed: 2,
      boundaryPenalty: 0,
    });
    tf.tidy(() => {
      const a = on.sample(s, createNoise(4));
      const b = off.sample(s, createNoise(4));
      expect(b.penalty).toBeUndefined();
      expect(a.penalty).toBeDefined();
      expect(Array.from(a.actions.dataSync())).toEqual(Array.from(b.actions.dataSync()));
    });
    expect(() => new DiffusionActor({ stateDim: S, actionDim: A, boundaryPenalty: -1 })).toThrow(
      'diffusion.boundaryPenalty: must be a finite number >= 0 (-1)',
    );
    s.dispose();
    on.dispose();
    off.dispose();
  });
});
