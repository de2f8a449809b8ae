import {
  actorUnitsOfArtefact,
  compactedArtefact,
  DEFAULT_DIFFUSION_CONFIG,
  type WeightsArtefact,
} from '@diffcontract/diffusion-actor/inference';
import { describe, expect, it } from 'vitest';
import { compactNetwork, networkFlops } from './compact.js';
import { mlpForward } from './forward.js';
import { magnitudeScores } from './importance.js';
import { applyMasks, MaskedNetwork } from './mask.js';
import { cloneNetwork, validateNetwork } from './network.js';
import { lowestMask } from './schedule.js';
import { ACTOR_LAYER, actorEpsForward, diffusionActorNetwork } from './test-actor.js';
import { randomArray, rng } from './test-helpers.js';
import type { PrunableNetwork } from './types.js';

// K = 3: state 2K + K^2 + 3 = 18, action 2K + 2K^2 = 24 (model.md section 6)
const S = 18;
const A = 24;

function randomActor(seed: number, pruneTimeOutput = false): PrunableNetwork {
  const net = diffusionActorNetwork({ stateDim: S, actionDim: A, pruneTimeOutput });
  const next = rng(seed);
  for (const layer of net.layers) {
    layer.kernel.set(randomArray(layer.kernel.length, next, 1 / Math.sqrt(layer.inDim)));
    layer.bias.set(randomArray(layer.bias.length, next, 0.3));
  }
  return net;
}

describe('diffusionActorNetwork', () => {
  it("defaults to diffusion-actor's own widths (one source: DEFAULT_DIFFUSION_CONFIG)", () => {
    const net = diffusionActorNetwork({ stateDim: S, actionDim: A });
    const E = DEFAULT_DIFFUSION_CONFIG.timeEmbedding;
    const H = DEFAULT_DIFFUSION_CONFIG.hidden;
    // the actor's time MLP is E -> 2E -> E (DiffusionActor), its eps MLP [A + E + S, ...hidden, A]
    expect(net.layers.map((l) => [l.inDim, l.outDim])).toEqual([
      [E, 2 * E],
      [2 * E, E],
      [A + E + S, H[0]],
      ...H.slice(1).map((h, l) => [H[l], h]),
      [H.at(-1), A],
    ]);
  });

  it('lays out the actor of model.md section 7', () => {
    const net = diffusionActorNetwork({ stateDim: S, actionDim: A });
    validateNetwork(net);
    expect(net.layers.map((l) => [l.name, l.inDim, l.outDim, l.activation])).toEqual([
      ['time.dense1', 16, 32, 'mish'],
      ['time.dense2', 32, 16, 'linear'],
      ['main.dense1', A + 16 + S, 256, 'mish'],
      ['main.dense2', 256, 256, 'mish'],
      ['main.out', 256, A, 'linear'],
    ]);
    expect(net.groups.map((g) => g.name)).toEqual(['time.hidden', 'main.hidden1', 'main.hidden2']);
    const withTime = diffusionActorNetwork({ stateDim: S, actionDim: A, pruneTimeOutput: true });
    expect(withTime.groups[3]).toEqual({
      name: 'time.out',
      layer: 1,
      consumers: [{ layer: 2, rowOffset: A }],
    });
  });

  it('FLOPs of one denoising step match a hand count', () => {
    // time: 2*16*32 + 32 = 1056, 2*32*16 = 1024; main: 2*58*256 + 256 = 29952,
    // 2*256*256 + 256 = 131328, 2*256*24 = 12288; total 175648
    expect(networkFlops(diffusionActorNetwork({ stateDim: S, actionDim: A }).layers)).toBe(175648);
  });

  it('follows the configured hidden widths', () => {
    const net = diffusionActorNetwork({ stateDim: S, actionDim: A, hidden: [64, 32, 16] });
    validateNetwork(net);
    expect(net.layers.slice(2).map((l) => [l.name, l.inDim, l.outDim])).toEqual([
      ['main.dense1', A + 16 + S, 64],
      ['main.dense2', 64, 32],
      ['main.dense3', 32, 16],
      ['main.out', 16, A],
    ]);
    expect(net.groups.map((g) => [g.name, g.layer, g.consumers[0]!.layer])).toEqual([
      ['time.hidden', 0, 1],
      ['main.hidden1', 2, 3],
      ['main.hidden2', 3, 4],
      ['main.hidden3', 4, 5],
    ]);
  });

  it("is the layout the actor describes itself with (diffusion-actor's actorUnitsOfArtefact)", () => {
    const net = randomActor(6);
    // The reference's weights written as a policy by diffusion-actor, then read back as its units.
    const base: WeightsArtefact = {
      manifest: {
        format: 'diffcontract-weights',
        version: 1,
        kind: 'diffusion',
        config: { ...DEFAULT_DIFFUSION_CONFIG, stateDim: S, actionDim: A },
        tensors: [],
        length: 0,
      },
      values: new Float32Array(0),
    };
    const units = actorUnitsOfArtefact(compactedArtefact(base, net));
    validateNetwork(units);
    expect(units.masks).toBeNull();
    expect(units.layers.map((l) => [l.inDim, l.outDim, l.activation])).toEqual(
      net.layers.map((l) => [l.inDim, l.outDim, l.activation]),
    );
    expect(units.groups.map((g) => [g.layer, g.consumers])).toEqual(
      net.groups.map((g) => [g.layer, g.consumers]),
    );
    const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, e) => v === b[e]);
    units.layers.forEach((l, i) => {
      expect(same(l.kernel, net.layers[i]!.kernel) && same(l.bias, net.layers[i]!.bias)).toBe(true);
    });
    expect(magnitudeScores(units)).toEqual(magnitudeScores(net));
  });

  it('rejects bad sizes', () => {
    expect(() => diffusionActorNetwork({ stateDim: 0, actionDim: A })).toThrow(
      /^actor\.stateDim: must be a positive integer \(0\)$/,
    );
    expect(() => diffusionActorNetwork({ stateDim: S, actionDim: A, hidden: [8, 0] })).toThrow(
      /^actor\.hidden\[1\]: /,
    );
  });
});

describe('actorEpsForward', () => {
  const batch = 3;
  const next = rng(77);
  const x = randomArray(batch * A, next);
  const state = randomArray(batch * S, next);
  const tEmb = randomArray(16, next);

  it('equals the time MLP and main MLP composed by hand', () => {
    const net = randomActor(1);
    const y = actorEpsForward(net, x, tEmb, state, batch);
    const time = mlpForward([net.layers[0]!, net.layers[1]!], tEmb, 1);
    const input = new Float32Array(batch * (A + 16 + S));
    for (let b = 0; b < batch; b++) {
      input.set(x.subarray(b * A, (b + 1) * A), b * 58);
      input.set(time, b * 58 + A);
      input.set(state.subarray(b * S, (b + 1) * S), b * 58 + A + 16);
    }
    const ref = mlpForward(net.layers.slice(2), input, batch);
    expect([...y]).toEqual([...ref]);
    // a per-row time embedding with identical rows gives the same result as a shared one
    const rows = new Float32Array(batch * 16);
    for (let b = 0; b < batch; b++) rows.set(tEmb, b * 16);
    expect([...actorEpsForward(net, x, rows, state, batch)]).toEqual([...y]);
  });

  it('compacted actor (time output pruned too) equals the masked actor', () => {
    const net = randomActor(2, true);
    const r = rng(3);
    const masks = net.groups.map((g) => {
      const width = net.layers[g.layer]!.outDim;
      return lowestMask(
        Array.from({ length: width }, () => r()),
        Math.floor(0.3 * width),
      );
    });
    const masked = cloneNetwork(net);
    applyMasks(masked, masks);
    const { network, flops } = compactNetwork(net, masks);
    expect(network.layers[ACTOR_LAYER.main1]!.inDim).toBe(A + (16 - 4) + S);
    expect(network.groups[3]!.consumers[0]!.rowOffset).toBe(A);
    const yMasked = actorEpsForward(masked, x, tEmb, state, batch);
    const yCompact = actorEpsForward(network, x, tEmb, state, batch);
    for (let e = 0; e < yMasked.length; e++) expect(yCompact[e]).toBeCloseTo(yMasked[e]!, 6);
    expect(flops.after).toBeLessThan(flops.before * 0.6);
  });

  it('masking floor(0.1 x width) neurons per group then compacting gives the expected widths', () => {
    const net = randomActor(4);
    const state2 = new MaskedNetwork(net);
    const masks = net.groups.map((g) =>
      lowestMask(net.layers[g.layer]!.bias, Math.floor(0.1 * net.layers[g.layer]!.outDim)),
    );
    state2.apply(masks);
    const { network } = compactNetwork(net, masks);
    expect(network.layers.map((l) => l.outDim)).toEqual([29, 16, 231, 231, A]);
  });
});
