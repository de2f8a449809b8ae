import { describe, expect, it } from 'vitest';
import { magnitudeScores, TaylorAccumulator } from './importance.js';
import { chainGroups } from './network.js';
import { backward, randomArray, randomChain, rng, squaredLoss, traceForward } from './test-helpers.js';
import type { DenseLayer, PrunableNetwork } from './types.js';

function handNetwork(): PrunableNetwork {
  const layers: DenseLayer[] = [
    {
      inDim: 2,
      outDim: 3,
      activation: 'mish',
      kernel: Float32Array.from([1, -2, 0, 3, 0.5, -1]),
      bias: Float32Array.from([0.5, 0, -2]),
    },
    {
      inDim: 3,
      outDim: 2,
      activation: 'linear',
      kernel: Float32Array.from([1, 1, -1, 0, 0, 2]),
      bias: new Float32Array(2),
    },
  ];
  return { layers, groups: chainGroups(layers) };
}

describe('magnitudeScores', () => {
  // neuron 0: in [1, 3], bias 0.5, out [1, 1]; neuron 1: in [-2, 0.5], bias 0, out [-1, 0];
  // neuron 2: in [0, -1], bias -2, out [0, 2]
  it('L1 of incoming column, bias and outgoing row', () => {
    expect([...magnitudeScores(handNetwork(), { norm: 'l1' })[0]!]).toEqual([6.5, 3.5, 5]);
    expect([...magnitudeScores(handNetwork(), { norm: 'l1', includeBias: false })[0]!]).toEqual([6, 3.5, 3]);
  });

  it('L2 by default', () => {
    const [s] = magnitudeScores(handNetwork());
    expect(s![0]).toBeCloseTo(3.5, 12); // sqrt(1 + 9 + 0.25 + 1 + 1)
    expect(s![1]).toBeCloseTo(Math.sqrt(5.25), 12);
    expect(s![2]).toBeCloseTo(3, 12); // sqrt(1 + 4 + 4)
  });

  it('reads outgoing rows at the consumer row offset', () => {
    const net = handNetwork();
    const wide: DenseLayer = {
      inDim: 5,
      outDim: 2,
      activation: 'linear',
      // rows 0, 1 belong to other inputs; rows 2..4 are the group's
      kernel: Float32Array.from([9, 9, 9, 9, 1, 1, -1, 0, 0, 2]),
      bias: new Float32Array(2),
    };
    const offset: PrunableNetwork = {
      layers: [net.layers[0]!, wide],
      groups: [{ name: 'g', layer: 0, consumers: [{ layer: 1, rowOffset: 2 }] }],
    };
    expect([...magnitudeScores(offset, { norm: 'l1' })[0]!]).toEqual([6.5, 3.5, 5]);
  });
});

describe('TaylorAccumulator', () => {
  // a = [[1, 2, 0], [-1, 1, 3]], g = [[0.5, -1, 2], [0.5, 1, -1]] -> products [[0.5, -2, 0], [-0.5, 1, -3]]
  const a1 = Float32Array.from([1, 2, 0, -1, 1, 3]);
  const g1 = Float32Array.from([0.5, -1, 2, 0.5, 1, -1]);

  it('meanAbs: mean over the batch of |a g|', () => {
    const acc = new TaylorAccumulator();
    acc.accumulate(0, a1, g1, 2);
    expect([...acc.scores([3])[0]!]).toEqual([0.5, 1.5, 1.5]);
  });

  it('absMean: |mean over the batch of a g|', () => {
    const acc = new TaylorAccumulator('absMean');
    acc.accumulate(0, a1, g1, 2);
    expect([...acc.scores([3])[0]!]).toEqual([0, 0.5, 1.5]);
  });

  it('averages over the batches of the window, then keeps the estimate', () => {
    const acc = new TaylorAccumulator();
    acc.accumulate(0, a1, g1, 2);
    acc.accumulate(0, Float32Array.from([2, 0, 1]), Float32Array.from([1, 1, 1]), 1); // [2, 0, 1]
    expect([...acc.scores([3])[0]!]).toEqual([1.25, 0.75, 1.25]);
    acc.endWindow();
    expect([...acc.scores([3])[0]!]).toEqual([1.25, 0.75, 1.25]);
    acc.accumulate(0, Float32Array.from([1, 1, 1]), Float32Array.from([1, 1, 1]), 1);
    expect([...acc.scores([3])[0]!]).toEqual([1, 1, 1]);
    expect(acc.scores([3, 4])[1]!.length).toBe(4); // a group never fed scores 0
  });

  it('does not measure masked neurons: they keep their last estimate', () => {
    const acc = new TaylorAccumulator();
    acc.accumulate(0, a1, g1, 2);
    acc.endWindow();
    acc.setMasks([Uint8Array.from([0, 1, 1])]);
    acc.accumulate(0, new Float32Array(3), Float32Array.from([5, 5, 5]), 1); // masked: activation 0
    expect([...acc.scores([3])[0]!]).toEqual([0.5, 0, 0]);
    expect([...acc.batchCounts(0)]).toEqual([0, 1, 1]);
  });

  it('absMean x batch is the first-order loss change of scaling a neuron (gate derivative)', () => {
    const layers = randomChain([4, 6, 3], 21);
    const next = rng(2);
    const batch = 5;
    const x = randomArray(batch * 4, next);
    const target = randomArray(batch * 3, next);
    const trace = traceForward(layers, x, batch);
    const { dy } = squaredLoss(trace.outputs[1]!, target, batch);
    const { outputGrads } = backward(layers, trace, dy, batch);
    const acc = new TaylorAccumulator('absMean');
    acc.accumulate(0, Float32Array.from(trace.outputs[0]!), Float32Array.from(outputGrads[0]!), batch);
    const scores = acc.scores([6])[0]!;
    // scale neuron j's output by (1 + eps) through its outgoing row and difference the loss
    const eps = 1e-4;
    const lossWithGate = (j: number, gate: number) => {
      const scaled = layers.map((l) => ({ ...l, kernel: l.kernel.slice() }));
      for (let k = 0; k < 3; k++) scaled[1]!.kernel[j * 3 + k]! *= gate;
      return squaredLoss(traceForward(scaled, x, batch).outputs[1]!, target, batch).loss;
    };
    for (let j = 0; j < 6; j++) {
      const dGate = (lossWithGate(j, 1 + eps) - lossWithGate(j, 1 - eps)) / (2 * eps);
      expect(scores[j]! * batch).toBeCloseTo(Math.abs(dGate), 3);
    }
  });

  it('rejects malformed batches', () => {
    const acc = new TaylorAccumulator();
    expect(() => acc.accumulate(0, new Float32Array(5), new Float32Array(5), 2)).toThrow(/^activations: /);
    expect(() => acc.accumulate(0, new Float32Array(4), new Float32Array(6), 2)).toThrow(/^gradients: /);
    acc.accumulate(0, new Float32Array(4), new Float32Array(4), 2);
    expect(() => acc.accumulate(0, new Float32Array(6), new Float32Array(6), 2)).toThrow(
      /^activations: must have width 2 \(3\)$/,
    );
    expect(() => acc.accumulateReduced(0, [1, Number.NaN])).toThrow(
      /^values\[1\]: must be a number \(NaN\)$/,
    );
    expect(() => new TaylorAccumulator('sum' as never)).toThrow(/^taylorReduction: /);
  });
});
