import { describe, expect, it } from 'vitest';
import { denseForward, mish, mlpForward, softplus } from './forward.js';
import { randomArray, randomChain, rng, traceForward } from './test-helpers.js';
import type { DenseLayer } from './types.js';

// Reference values: mish(x) = x tanh(ln(1 + e^x)), evaluated independently in Python's math module.
const MISH_1 = 0.8650983882673103;
const MISH_MINUS_1 = -0.30340146137410895;
const MISH_2 = 1.9439589595339946;

describe('mish', () => {
  it('matches reference values and is exactly 0 at 0', () => {
    expect(mish(0)).toBe(0);
    expect(mish(1)).toBeCloseTo(MISH_1, 15);
    expect(mish(-1)).toBeCloseTo(MISH_MINUS_1, 15);
    expect(mish(2)).toBeCloseTo(MISH_2, 15);
  });

  it('stays finite at extreme inputs (softplus does not overflow)', () => {
    expect(softplus(1000)).toBe(1000);
    expect(mish(1000)).toBe(1000);
    expect(Math.abs(mish(-1000))).toBe(0);
    expect(mish(30)).toBeCloseTo(30, 12);
  });
});

describe('mlpForward', () => {
  // x = [1, 2]; hidden z = x W1 + b1 = [1, -1] -> Mish; y = 2 Mish(1) + 3 Mish(-1) + 0.5
  const layers: DenseLayer[] = [
    {
      inDim: 2,
      outDim: 2,
      activation: 'mish',
      kernel: Float32Array.from([1, 0.5, 0, -0.75]), // rows: input 0 -> [1, 0.5], input 1 -> [0, -0.75]
      bias: Float32Array.from([0, 0]),
    },
    {
      inDim: 2,
      outDim: 1,
      activation: 'linear',
      kernel: Float32Array.from([2, 3]),
      bias: Float32Array.from([0.5]),
    },
  ];

  it('computes a hand-worked 2-layer example', () => {
    // hidden pre-activations: [1*1 + 2*0, 1*0.5 + 2*(-0.75)] = [1, -1]
    const y = mlpForward(layers, Float32Array.from([1, 2]), 1);
    expect(y.length).toBe(1);
    expect(y[0]).toBeCloseTo(2 * MISH_1 + 3 * MISH_MINUS_1 + 0.5, 6);
    expect(y[0]).toBeCloseTo(1.3199923924122938, 6);
  });

  it('treats each batch row independently', () => {
    // second row: x = [2, 0] -> z = [2, 1] -> y = 2 Mish(2) + 3 Mish(1) + 0.5
    const y = mlpForward(layers, Float32Array.from([1, 2, 2, 0]), 2);
    expect(y[0]).toBeCloseTo(1.3199923924122938, 6);
    expect(y[1]).toBeCloseTo(2 * MISH_2 + 3 * MISH_1 + 0.5, 5);
  });

  it('agrees with an independent float64 forward on a random network', () => {
    const net = randomChain([5, 7, 6, 3], 11);
    const x = randomArray(4 * 5, rng(3));
    const y = mlpForward(net, x, 4);
    const ref = traceForward(net, x, 4).outputs[2]!;
    for (let e = 0; e < y.length; e++) expect(y[e]).toBeCloseTo(ref[e]!, 5);
  });

  it('rejects mismatched shapes with a one-line error', () => {
    expect(() => mlpForward(layers, new Float32Array(3), 1)).toThrow(
      /^input: must hold batch x inDim = 1 x 2 values \(3\)$/,
    );
    const broken = [layers[0]!, { ...layers[1]!, inDim: 3, kernel: new Float32Array(3) }];
    expect(() => mlpForward(broken, new Float32Array(2), 1)).toThrow(/^layers\[1\]\.inDim: must equal/);
    expect(() => mlpForward(layers, new Float32Array(2), 0)).toThrow(
      /^batch: must be a positive integer \(0\)$/,
    );
  });

  it('denseForward writes into a provided buffer', () => {
    const out = new Float32Array(2);
    const r = denseForward(layers[0]!, Float32Array.from([1, 2]), 1, out);
    expect(r).toBe(out);
    expect(out[0]).toBeCloseTo(MISH_1, 6);
  });
});
