import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactNetwork, networkFlops } from './compact.js';
import { mlpForward } from './forward.js';
import { applyMasks } from './mask.js';
import { chainGroups, cloneNetwork } from './network.js';
import { lowestMask } from './schedule.js';
import { randomArray, randomChain, rng } from './test-helpers.js';
import type { PrunableNetwork } from './types.js';

function chain(widths: number[], seed: number): PrunableNetwork {
  const layers = randomChain(widths, seed);
  return { layers, groups: chainGroups(layers) };
}

function randomMasks(net: PrunableNetwork, ratio: number, seed: number): Uint8Array[] {
  const next = rng(seed);
  return net.groups.map((g) => {
    const width = net.layers[g.layer]!.outDim;
    const scores = Array.from({ length: width }, () => next());
    return lowestMask(scores, Math.floor(ratio * width));
  });
}

describe('networkFlops', () => {
  it('matches a hand count: 2 in out per dense layer + 1 per Mish output', () => {
    // 3 -> 4 (Mish) -> 2 (linear): 2*3*4 + 4 + 2*4*2 = 44
    const net = chain([3, 4, 2], 1);
    expect(networkFlops(net.layers)).toBe(44);
    // one hidden neuron removed: 2*3*3 + 3 + 2*3*2 = 33
    const { flops } = compactNetwork(net, [Uint8Array.from([1, 0, 1, 1])]);
    expect(flops).toEqual({ before: 44, after: 33 });
    expect(networkFlops(net.layers, { activationFlops: { mish: 5 } })).toBe(24 + 20 + 16);
  });
});

describe('compactNetwork', () => {
  it('removes rows and columns: shapes, kept indices, parameter counts', () => {
    const net = chain([5, 6, 4, 3], 2);
    const masks = [Uint8Array.from([1, 0, 1, 1, 0, 1]), Uint8Array.from([0, 1, 1, 1])];
    const result = compactNetwork(net, masks);
    expect(result.network.layers.map((l) => [l.inDim, l.outDim])).toEqual([
      [5, 4],
      [4, 3],
      [3, 3],
    ]);
    expect(result.kept.map((k) => [...k])).toEqual([
      [0, 2, 3, 5],
      [1, 2, 3],
    ]);
    expect(result.parameters).toEqual({
      before: 5 * 6 + 6 + 6 * 4 + 4 + 4 * 3 + 3,
      after: 5 * 4 + 4 + 4 * 3 + 3 + 3 * 3 + 3,
    });
    // entry (row 1, col 0) of the compacted middle layer is original (row 2, col 1)
    expect(result.network.layers[1]!.kernel[1 * 3 + 0]).toBe(net.layers[1]!.kernel[2 * 4 + 1]);
    expect(result.network.layers[1]!.bias[0]).toBe(net.layers[1]!.bias[1]);
  });

  it('equals the masked network on random inputs (random widths, masks and ratios)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 2, max: 12 }), { minLength: 3, maxLength: 5 }),
        fc.integer({ min: 0, max: 90 }),
        fc.integer(),
        (widths, percent, seed) => {
          const net = chain(widths, seed);
          const masks = randomMasks(net, percent / 100, seed + 1);
          const masked = cloneNetwork(net);
          applyMasks(masked, masks);
          const { network } = compactNetwork(net, masks);
          const batch = 4;
          const x = randomArray(batch * widths[0]!, rng(seed + 2), 2);
          const yMasked = mlpForward(masked.layers, x, batch);
          const yCompact = mlpForward(network.layers, x, batch);
          for (let e = 0; e < yMasked.length; e++)
            expect(Math.abs(yCompact[e]! - yMasked[e]!)).toBeLessThanOrEqual(1e-6);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('differs from the unmasked network (the check above is not vacuous)', () => {
    const net = chain([4, 8, 8, 2], 3);
    const { network } = compactNetwork(net, randomMasks(net, 0.5, 4));
    const x = randomArray(4 * 4, rng(5));
    const y = mlpForward(net.layers, x, 4);
    const yc = mlpForward(network.layers, x, 4);
    expect([...y].some((v, e) => Math.abs(v - yc[e]!) > 1e-3)).toBe(true);
  });

  it('rejects masks that would empty a layer', () => {
    const net = chain([3, 2, 2], 1);
    expect(() => compactNetwork(net, [Uint8Array.from([0, 0])])).toThrow(
      /^masks: would leave layer 0 without inputs or outputs/,
    );
  });
});
