import { describe, expect, it } from 'vitest';
import { compactNetwork } from './compact.js';
import { applyMasks } from './mask.js';
import { cloneNetwork } from './network.js';
import { lowestMask } from './schedule.js';
import { actorEpsForward, diffusionActorNetwork } from './test-actor.js';
import { actorDenoise, type NormalSource } from './test-chain.js';
import { randomArray, rng } from './test-helpers.js';
import type { PrunableNetwork } from './types.js';

const S = 5;
const A = 3;
const E = 4;
const H = [6, 5];

/** Hand-made schedule values (any numbers exercise the arithmetic). */
const schedule = {
  steps: 2,
  sqrtRecipAlphaBar: [1.5, 2],
  sqrtRecipM1AlphaBar: [0.5, 0.75],
  posteriorVariance: [0, 0.09],
  posteriorC1: [0.8, 0.6],
  posteriorC2: [0.3, 0.4],
};

function randomActor(seed: number): PrunableNetwork {
  const net = diffusionActorNetwork({
    stateDim: S,
    actionDim: A,
    timeEmbedDim: E,
    timeHidden: 2 * E,
    timeOut: E,
    hidden: H,
  });
  const next = rng(seed);
  for (const layer of net.layers) {
    layer.kernel.set(randomArray(layer.kernel.length, next, 1.5 / Math.sqrt(layer.inDim)));
    layer.bias.set(randomArray(layer.bias.length, next, 0.3));
  }
  return net;
}

class FixedNoise implements NormalSource {
  calls: number[] = [];
  constructor(private readonly seed: number) {}
  normals(n: number): Float32Array {
    this.calls.push(n);
    return randomArray(n, rng(this.seed), 1.5);
  }
}

describe('actorDenoise', () => {
  const batch = 4;
  const states = randomArray(batch * S, rng(8));
  const tEmb = randomArray(2 * E, rng(9));
  const clip = (v: number) => Math.min(1, Math.max(-1, v));

  it('runs the reverse DDPM steps by the formulas, drawing noise once in the actor order', () => {
    const net = randomActor(1);
    const noise = new FixedNoise(3);
    const out = actorDenoise(net, schedule, tEmb, states, batch, noise);
    const n = batch * A;
    expect(noise.calls).toEqual([2 * n]); // x_T plus one stochastic step (i = 1)
    const draws = randomArray(2 * n, rng(3), 1.5);
    // step i = 1 (t = 2), then i = 0 (t = 1, no noise)
    let x = Float64Array.from(draws.subarray(0, n));
    const sigma1 = Math.sqrt(0.09);
    for (const i of [1, 0]) {
      const eps = actorEpsForward(
        net,
        Float32Array.from(x),
        tEmb.subarray(i * E, (i + 1) * E),
        states,
        batch,
      );
      x = x.map((xe, e) => {
        const x0 = clip(xe * schedule.sqrtRecipAlphaBar[i]! - eps[e]! * schedule.sqrtRecipM1AlphaBar[i]!);
        const z = i === 1 ? draws[n + e]! * sigma1 : 0;
        return x0 * schedule.posteriorC1[i]! + xe * schedule.posteriorC2[i]! + z;
      });
    }
    for (let e = 0; e < n; e++) expect(out[e]).toBeCloseTo(clip(x[e]!), 5);
    expect(out.every((v) => v >= -1 && v <= 1)).toBe(true);
  });

  it('is deterministic without noise; the compacted actor gives the masked actor contracts', () => {
    const net = randomActor(2);
    const masks = net.groups.map((g) => {
      const w = net.layers[g.layer]!.outDim;
      const r = rng(g.layer);
      return lowestMask(
        Array.from({ length: w }, () => r()),
        Math.floor(0.3 * w),
      );
    });
    const masked = cloneNetwork(net);
    applyMasks(masked, masks);
    const { network } = compactNetwork(net, masks);
    const a = actorDenoise(masked, schedule, tEmb, states, batch, new FixedNoise(5));
    const b = actorDenoise(network, schedule, tEmb, states, batch, new FixedNoise(5));
    for (let e = 0; e < a.length; e++) expect(b[e]).toBeCloseTo(a[e]!, 6);
    expect([...actorDenoise(net, schedule, tEmb, states, batch, null)]).toEqual([
      ...actorDenoise(net, schedule, tEmb, states, batch, null),
    ]);
  });

  it('rejects a time embedding of the wrong size', () => {
    expect(() => actorDenoise(randomActor(1), schedule, new Float32Array(3), states, batch, null)).toThrow(
      /^timeEmbeddings: must hold steps x 4 = 8 values \(3\)$/,
    );
  });
});
