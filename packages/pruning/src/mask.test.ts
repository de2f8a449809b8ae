import { describe, expect, it } from 'vitest';
import { mlpForward } from './forward.js';
import { applyMasks, countMaskViolations, entryMasks, MaskedNetwork, zeroMaskedEntries } from './mask.js';
import { chainGroups, cloneNetwork, zerosLike } from './network.js';
import {
  type AdamState,
  adamStep,
  backward,
  randomArray,
  randomChain,
  rng,
  squaredLoss,
  traceForward,
} from './test-helpers.js';
import type { LayerArrays, PrunableNetwork } from './types.js';

function chain(widths: number[], seed: number): PrunableNetwork {
  const layers = randomChain(widths, seed);
  return { layers, groups: chainGroups(layers) };
}

function mask(bits: number[]): Uint8Array {
  return Uint8Array.from(bits);
}

function countZeros(arrays: readonly LayerArrays[]): number {
  let n = 0;
  for (const a of arrays) {
    for (const v of a.kernel) if (v === 0) n++;
    for (const v of a.bias) if (v === 0) n++;
  }
  return n;
}

/** Fills moments with non-zero values, as after some training. */
function busyMoments(net: PrunableNetwork, seed: number): AdamState {
  const next = rng(seed);
  const fill = () =>
    net.layers.map((l) => ({
      kernel: randomArray(l.kernel.length, next),
      bias: randomArray(l.bias.length, next),
    }));
  const m = fill();
  const v = fill().map((a) => ({ kernel: a.kernel.map(Math.abs), bias: a.bias.map(Math.abs) }));
  return { m, v, t: 10 };
}

function trainStep(net: PrunableNetwork, adam: AdamState, seed: number): ReturnType<typeof backward> {
  const next = rng(seed);
  const batch = 8;
  const first = net.layers[0]!;
  const last = net.layers[net.layers.length - 1]!;
  const x = randomArray(batch * first.inDim, next);
  const target = randomArray(batch * last.outDim, next);
  const trace = traceForward(net.layers, x, batch);
  const { dy } = squaredLoss(trace.outputs[net.layers.length - 1]!, target, batch);
  const result = backward(net.layers, trace, dy, batch);
  adamStep(net.layers, result.grads, adam);
  return result;
}

describe('entryMasks', () => {
  it("covers a masked neuron's incoming column, bias and outgoing row, nothing else", () => {
    // 3 -> 4 -> 5 -> 2; neuron 1 of the first hidden layer masked
    const net = chain([3, 4, 5, 2], 1);
    const keep = entryMasks(net, [mask([1, 0, 1, 1]), mask([1, 1, 1, 1, 1])]);
    expect(countZeros(keep)).toBe(3 + 1 + 5);
    for (let i = 0; i < 3; i++) expect(keep[0]!.kernel[i * 4 + 1]).toBe(0);
    expect(keep[0]!.bias[1]).toBe(0);
    for (let k = 0; k < 5; k++) expect(keep[1]!.kernel[1 * 5 + k]).toBe(0);
    expect([...keep[2]!.kernel].every((v) => v === 1)).toBe(true);
  });

  it('handles a group read at a row offset (a concatenated input)', () => {
    // layer 0 (2 -> 3) feeds rows 4..6 of layer 1 (8 -> 2)
    const a = randomChain([2, 3], 1)[0]!;
    const b = { ...randomChain([8, 2], 2)[0]!, activation: 'linear' as const };
    const net: PrunableNetwork = {
      layers: [{ ...a, activation: 'mish' }, b],
      groups: [{ name: 'g', layer: 0, consumers: [{ layer: 1, rowOffset: 4 }] }],
    };
    const keep = entryMasks(net, [mask([1, 1, 0])]);
    expect([...keep[1]!.kernel].map((v, e) => (v === 0 ? e : -1)).filter((e) => e >= 0)).toEqual([12, 13]);
  });

  it('rejects masks of the wrong shape', () => {
    const net = chain([3, 4, 2], 1);
    expect(() => entryMasks(net, [mask([1, 1, 1])])).toThrow(
      /^masks\[0\]: must be a Uint8Array of width 4 \(3\)$/,
    );
    expect(() => entryMasks(net, [])).toThrow(/^masks: must hold one mask per group \(1\) \(0\)$/);
    expect(() => entryMasks(net, [mask([1, 2, 1, 1])])).toThrow(/^masks\[0\]\[1\]: must be 0 or 1 \(2\)$/);
  });
});

describe('applyMasks', () => {
  it('masked neurons output exactly zero, even with a non-zero bias before masking', () => {
    const net = chain([6, 8, 8, 3], 3);
    const masks = [mask([1, 0, 1, 1, 0, 1, 1, 1]), mask([0, 1, 1, 1, 1, 1, 1, 0])];
    expect(net.layers[0]!.bias[1]).not.toBe(0);
    applyMasks(net, masks);
    expect(countMaskViolations(net, masks)).toBe(0);
    const trace = traceForward(net.layers, randomArray(5 * 6, rng(4), 3), 5);
    masks.forEach((m, g) => {
      const out = trace.outputs[g]!;
      for (let b = 0; b < 5; b++) {
        for (let j = 0; j < m.length; j++) {
          if (m[j] === 0) expect(out[b * m.length + j]).toBe(0);
          else expect(out[b * m.length + j]).not.toBe(0);
        }
      }
    });
  });

  it("changes the output exactly as removing the neurons' contributions would", () => {
    const net = chain([4, 5, 2], 8);
    const masked = cloneNetwork(net);
    applyMasks(masked, [mask([1, 1, 0, 1, 1])]);
    // reference: same network with neuron 2's outgoing row removed by hand
    const manual = cloneNetwork(net);
    manual.layers[1]!.kernel.fill(0, 2 * 2, 3 * 2);
    const x = randomArray(3 * 4, rng(1));
    const y1 = mlpForward(masked.layers, x, 3);
    const y2 = mlpForward(manual.layers, x, 3);
    for (let e = 0; e < y1.length; e++) expect(y1[e]).toBeCloseTo(y2[e]!, 6);
  });

  it('masked entries receive no update while masked (real gradients, Adam steps)', () => {
    const net = chain([6, 8, 8, 3], 3);
    const masks = [mask([1, 0, 1, 1, 0, 1, 1, 1]), mask([0, 1, 1, 1, 1, 1, 1, 0])];
    const adam = busyMoments(net, 7);
    applyMasks(net, masks, { moments: [adam.m, adam.v] });
    const keep = entryMasks(net, masks);
    const before = cloneNetwork(net);
    for (let step = 0; step < 5; step++) {
      const { grads } = trainStep(net, adam, 100 + step);
      // the gradient itself is exactly zero on masked entries
      grads.forEach((g, l) => {
        g.kernel.forEach((v, e) => {
          if (keep[l]!.kernel[e] === 0) expect(v).toBe(0);
        });
        g.bias.forEach((v, e) => {
          if (keep[l]!.bias[e] === 0) expect(v).toBe(0);
        });
      });
    }
    expect(countMaskViolations(net, masks)).toBe(0);
    // and the active weights did train
    let moved = 0;
    net.layers.forEach((layer, l) => {
      layer.kernel.forEach((w, e) => {
        if (keep[l]!.kernel[e] === 1 && w !== before.layers[l]!.kernel[e]) moved++;
      });
    });
    expect(moved).toBeGreaterThan(0);
  });

  it('without zeroing the Adam moments, masked weights do revive (why moments are masked)', () => {
    const net = chain([6, 8, 8, 3], 3);
    const masks = [mask([1, 0, 1, 1, 0, 1, 1, 1]), mask([0, 1, 1, 1, 1, 1, 1, 0])];
    const adam = busyMoments(net, 7);
    applyMasks(net, masks);
    trainStep(net, adam, 100);
    expect(countMaskViolations(net, masks)).toBeGreaterThan(0);
  });

  it('zeroing weights but not the bias lets outgoing weights receive gradient', () => {
    const net = chain([6, 8, 3], 3);
    const masks = [mask([1, 0, 1, 1, 1, 1, 1, 1])];
    applyMasks(net, masks);
    net.layers[0]!.bias[1] = 0.7; // Mish(0.7) != 0
    const adam: AdamState = { m: zerosLike(net), v: zerosLike(net), t: 0 };
    const { grads } = trainStep(net, adam, 3);
    const outgoing = grads[1]!.kernel.subarray(1 * 3, 2 * 3);
    expect([...outgoing].some((g) => g !== 0)).toBe(true);
  });

  it('applies to a target copy alike; a soft update keeps masked entries at zero', () => {
    const net = chain([4, 6, 2], 5);
    const target = cloneNetwork(net);
    const masks = [mask([0, 1, 1, 0, 1, 1])];
    applyMasks(net, masks);
    applyMasks(target, masks);
    trainStep(net, { m: zerosLike(net), v: zerosLike(net), t: 0 }, 1);
    const tau = 0.005;
    target.layers.forEach((layer, l) => {
      const src = net.layers[l]!;
      layer.kernel.forEach((w, e) => {
        layer.kernel[e] = tau * src.kernel[e]! + (1 - tau) * w;
      });
      layer.bias.forEach((w, e) => {
        layer.bias[e] = tau * src.bias[e]! + (1 - tau) * w;
      });
    });
    expect(countMaskViolations(target, masks)).toBe(0);
  });

  it('zeroMaskedEntries masks gradient-shaped arrays too', () => {
    const net = chain([3, 4, 2], 2);
    const grads = net.layers.map((l) => ({
      kernel: new Float32Array(l.kernel.length).fill(1),
      bias: new Float32Array(l.bias.length).fill(1),
    }));
    zeroMaskedEntries(grads, entryMasks(net, [mask([1, 1, 1, 0])]));
    expect(countZeros(grads)).toBe(3 + 1 + 2);
  });
});

describe('MaskedNetwork', () => {
  it('restores the remembered weights of a neuron that returns, with fresh moments', () => {
    const net = chain([5, 6, 4, 2], 12);
    const original = cloneNetwork(net);
    const state = new MaskedNetwork(net);
    const adam = busyMoments(net, 3);
    const masks1 = [mask([1, 1, 0, 1, 1, 1]), mask([1, 1, 1, 1])];
    const change1 = state.apply(masks1, { moments: [adam.m, adam.v] });
    expect(change1).toEqual({ pruned: [1, 0], newlyPruned: [1, 0], restored: [0, 0] });
    expect(countMaskViolations(net, masks1)).toBe(0);
    for (let s = 0; s < 3; s++) trainStep(net, adam, 40 + s);
    const trainedKernel1Row0 = net.layers[1]!.kernel.slice(0, 4);
    // stale optimizer state on a masked entry (e.g. left by a glue that did not mask it) must not follow the neuron back
    adam.m[0]!.bias[2] = 0.3;
    adam.v[0]!.bias[2] = 0.3;
    // neuron 2 comes back, neuron 0 goes
    const masks2 = [mask([0, 1, 1, 1, 1, 1]), mask([1, 1, 1, 1])];
    const change2 = state.apply(masks2, { moments: [adam.m, adam.v] });
    expect(change2).toEqual({ pruned: [1, 0], newlyPruned: [1, 0], restored: [1, 0] });
    // neuron 2's incoming column, bias and outgoing row are back to their values at masking time
    for (let i = 0; i < 5; i++)
      expect(net.layers[0]!.kernel[i * 6 + 2]).toBe(original.layers[0]!.kernel[i * 6 + 2]);
    expect(net.layers[0]!.bias[2]).toBe(original.layers[0]!.bias[2]);
    for (let k = 0; k < 4; k++)
      expect(net.layers[1]!.kernel[2 * 4 + k]).toBe(original.layers[1]!.kernel[2 * 4 + k]);
    // its moments restart at zero, the moments of the newly masked neuron 0 are zero too
    for (const mom of [adam.m, adam.v]) {
      expect(mom[0]!.bias[2]).toBe(0);
      expect(mom[0]!.bias[0]).toBe(0);
      expect(mom[0]!.bias[1]).not.toBe(0);
    }
    // neuron 0 is masked, and the dense view remembers its trained values
    expect(countMaskViolations(net, masks2)).toBe(0);
    expect([...state.dense().layers[1]!.kernel.slice(0, 4)]).toEqual([...trainedKernel1Row0]);
    expect(state.masks.map((m) => [...m])).toEqual(masks2.map((m) => [...m]));
  });

  it('a returning neuron restored to zeros would be stuck: zero gradient forever', () => {
    // Documents why MaskedNetwork keeps a shadow: stateless masking then unmasking leaves zeros.
    const net = chain([5, 6, 2], 12);
    applyMasks(net, [mask([1, 0, 1, 1, 1, 1])]);
    const adam: AdamState = { m: zerosLike(net), v: zerosLike(net), t: 0 };
    for (let s = 0; s < 3; s++) trainStep(net, adam, s);
    expect(net.layers[0]!.bias[1]).toBe(0);
    expect(net.layers[1]!.kernel[1 * 2]).toBe(0);
  });

  it('dense() reflects live values of active entries', () => {
    const net = chain([3, 4, 2], 1);
    const state = new MaskedNetwork(net);
    state.apply([mask([1, 0, 1, 1])]);
    net.layers[0]!.bias[0] = 42;
    expect(state.dense().layers[0]!.bias[0]).toBe(42);
    expect(state.dense().layers[0]!.bias[1]).not.toBe(0);
  });
});
