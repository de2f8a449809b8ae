import { describe, expect, it } from 'vitest';
import { backward, randomArray, randomChain, rng, squaredLoss, traceForward } from './test-helpers.js';

// The masking tests trust this backward pass, so check it against central finite differences.
describe('test backward pass', () => {
  it('matches finite differences of the loss for every parameter', () => {
    const layers = randomChain([3, 4, 3, 2], 5);
    const next = rng(9);
    const batch = 3;
    const x = randomArray(batch * 3, next);
    const target = randomArray(batch * 2, next);
    const lossAt = () => squaredLoss(traceForward(layers, x, batch).outputs[2]!, target, batch).loss;
    const trace = traceForward(layers, x, batch);
    const { grads } = backward(layers, trace, squaredLoss(trace.outputs[2]!, target, batch).dy, batch);
    layers.forEach((layer, l) => {
      for (const key of ['kernel', 'bias'] as const) {
        const w = layer[key];
        for (let e = 0; e < w.length; e++) {
          const orig = w[e]!;
          w[e] = orig + 1e-3;
          const up = w[e]!;
          const lUp = lossAt();
          w[e] = orig - 1e-3;
          const down = w[e]!;
          const lDown = lossAt();
          w[e] = orig;
          expect(grads[l]![key][e]).toBeCloseTo((lUp - lDown) / (up - down), 5);
        }
      }
    });
  });
});
