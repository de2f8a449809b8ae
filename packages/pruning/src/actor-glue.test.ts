import { describe, expect, it } from 'vitest';
import {
  type ActorArtefactLike,
  actorArtefactTensors,
  actorNetworkFromArtefact,
  actorUnitMasks,
  actorVariableKeepMasks,
} from './actor-glue.js';
import { compactNetwork } from './compact.js';
import { applyMasks } from './mask.js';
import { cloneNetwork } from './network.js';
import { lowestMask } from './schedule.js';
import { actorDenoise, type NormalSource } from './test-chain.js';
import { randomArray, rng } from './test-helpers.js';
import { actorEpsForward, diffusionActorNetwork } from './topology.js';
import type { PrunableNetwork } from './types.js';

const S = 5;
const A = 3;
const E = 4;
const H = [6, 5];

/** An artefact laid out as diffusion-actor's toArtefact() documents it, filled with distinct values. */
function fakeArtefact(): ActorArtefactLike {
  const shapes: [string, number[]][] = [
    ['time.0.kernel', [E, 2 * E]],
    ['time.0.bias', [2 * E]],
    ['time.1.kernel', [2 * E, E]],
    ['time.1.bias', [E]],
    ['eps.0.kernel', [A + E + S, H[0]!]],
    ['eps.0.bias', [H[0]!]],
    ['eps.1.kernel', [H[0]!, H[1]!]],
    ['eps.1.bias', [H[1]!]],
    ['eps.2.kernel', [H[1]!, A]],
    ['eps.2.bias', [A]],
  ];
  let offset = 0;
  const tensors = shapes.map(([name, shape]) => {
    const entry = { name, shape, offset };
    offset += shape.reduce((a, b) => a * b, 1);
    return entry;
  });
  const values = Float32Array.from({ length: offset }, (_, i) => (i + 1) / 1000);
  return {
    manifest: { config: { stateDim: S, actionDim: A, hidden: H, timeEmbedding: E, steps: 5 }, tensors },
    values,
  };
}

describe('actor artefact glue', () => {
  it('reads the artefact into the actor layout and writes it back unchanged', () => {
    const artefact = fakeArtefact();
    const net = actorNetworkFromArtefact(artefact);
    expect(net.layers.map((l) => [l.inDim, l.outDim])).toEqual([
      [E, 2 * E],
      [2 * E, E],
      [A + E + S, 6],
      [6, 5],
      [5, A],
    ]);
    // first value of eps.0.kernel follows time.* (8*4 + 8 + 8*4 + 4 = 76 values)
    expect(net.layers[2]!.kernel[0]).toBeCloseTo(77 / 1000, 7);
    const back = actorArtefactTensors(net);
    expect(back.map((t) => t.name)).toEqual(artefact.manifest.tensors.map((t) => t.name));
    for (const t of back) {
      const entry = artefact.manifest.tensors.find((e) => e.name === t.name)!;
      expect(t.shape).toEqual(entry.shape);
      expect([...t.values]).toEqual([
        ...artefact.values.subarray(entry.offset, entry.offset + t.values.length),
      ]);
    }
  });

  it('rejects an artefact that does not match its config', () => {
    const artefact = fakeArtefact();
    const wrong = {
      ...artefact,
      manifest: { ...artefact.manifest, config: { ...artefact.manifest.config, actionDim: 4 } },
    };
    expect(() => actorNetworkFromArtefact(wrong)).toThrow(
      /^weights\.tensors\.eps\.0\.kernel\.shape: must be \[13, 6\]/,
    );
    const noHidden = {
      ...artefact,
      manifest: { ...artefact.manifest, config: { ...artefact.manifest.config, hidden: 6 } },
    };
    expect(() => actorNetworkFromArtefact(noHidden)).toThrow(/^weights\.config\.hidden: /);
  });

  it('unit masks in setUnitMasks order and per-variable keep masks in DiffusionActor.variables order', () => {
    const net = actorNetworkFromArtefact(fakeArtefact());
    const masks = [
      lowestMask([1, 0, 2, 3, 4, 5, 6, 7], 1),
      lowestMask([5, 4, 0, 2, 3, 1], 2),
      lowestMask([1, 1, 1, 1, 1], 0),
    ];
    const unit = actorUnitMasks(net, masks);
    expect(unit.map((u) => [...u])).toEqual([
      [1, 0, 1, 1, 1, 1, 1, 1],
      [1, 1, 0, 1, 1, 0],
      [1, 1, 1, 1, 1],
    ]);
    const keep = actorVariableKeepMasks(net, masks);
    expect(keep.map((k) => [k.name, k.shape])).toEqual([
      ['time.0.kernel', [E, 2 * E]],
      ['time.0.bias', [2 * E]],
      ['time.1.kernel', [2 * E, E]],
      ['time.1.bias', [E]],
      ['eps.0.kernel.x', [A, 6]],
      ['eps.0.kernel.t', [E, 6]],
      ['eps.0.kernel.s', [S, 6]],
      ['eps.0.bias', [6]],
      ['eps.1.kernel', [6, 5]],
      ['eps.1.bias', [5]],
      ['eps.2.kernel', [5, A]],
      ['eps.2.bias', [A]],
    ]);
    // columns 2 and 5 of every block of the first layer are masked; nothing else in those blocks
    for (const k of keep.slice(4, 7)) {
      k.values.forEach((v, e) => {
        expect(v).toBe(e % 6 === 2 || e % 6 === 5 ? 0 : 1);
      });
    }
    // rows 2 and 5 of eps.1.kernel (outgoing weights of the masked neurons)
    keep[8]!.values.forEach((v, e) => {
      expect(v).toBe(Math.floor(e / 5) === 2 || Math.floor(e / 5) === 5 ? 0 : 1);
    });
  });

  it('refuses to mask the time-MLP output, which the tfjs actor cannot gate', () => {
    const net = actorNetworkFromArtefact(fakeArtefact(), { pruneTimeOutput: true });
    const masks = net.groups.map((g) => new Uint8Array(net.layers[g.layer]!.outDim).fill(1));
    expect(actorUnitMasks(net, masks).length).toBe(3);
    masks[3]![0] = 0;
    expect(() => actorUnitMasks(net, masks)).toThrow(/^masks\[3\]: time\.out cannot be masked/);
  });
});

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
