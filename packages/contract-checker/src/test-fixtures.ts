import type { ExactContract, ExactMarket } from '@diffcontract/env';
import { parseExactNumber } from '@diffcontract/env';

type Num = string | number;
export type ItemSpec = [Num, Num];

/** Exact values as written: every test number goes through the file grammar, never a float. */
export const x = (v: Num) => parseExactNumber(String(v));

export function market(spec: {
  theta: Num[];
  prior: Num[];
  transition: Num[][];
  a: Num;
  beta?: Num;
  delta: Num;
  qMax?: Num;
  esCount?: number;
}): ExactMarket {
  return {
    theta: spec.theta.map(x),
    prior: spec.prior.map(x),
    transition: spec.transition.map((r) => r.map(x)),
    a: x(spec.a),
    beta: x(spec.beta ?? 10),
    delta: x(spec.delta),
    qMax: x(spec.qMax ?? 10),
    esCount: spec.esCount ?? 10,
  };
}

export function contract(period1: ItemSpec[], period2: ItemSpec[][]): ExactContract {
  const item = ([q, reward]: ItemSpec) => ({ q: x(q), reward: x(reward) });
  return { period1: period1.map(item), period2: period2.map((row) => row.map(item)) };
}

/**
 * Hand-built feasible K = 2 contract. theta = (1/2, 1), a = 1: item (1, 2) costs type 0 exactly 2
 * (IR1/IR2 bind for type 0) and type 1 cost 1; item (2, 5) costs type 1 exactly 4. Type 1 is
 * indifferent between the items (downward IC binds, in both periods), and with identical period-2
 * rows IIC for type 1 misreporting 0 binds too: 1 + 3/8 on both sides.
 */
export const feasibleMarket = market({
  theta: ['1/2', 1],
  prior: ['1/2', '1/2'],
  transition: [
    ['1/2', '1/2'],
    ['1/4', '3/4'],
  ],
  a: 1,
  delta: '1/2',
});

export function feasibleContract(period1Rewards: [Num, Num] = [2, 5]): ExactContract {
  return contract(
    [
      [1, period1Rewards[0]],
      [2, period1Rewards[1]],
    ],
    [
      [
        [1, 2],
        [2, 5],
      ],
      [
        [1, 2],
        [2, 5],
      ],
    ],
  );
}

/**
 * IC2 fails only in a zero-probability history: P[0][1] = 0, and in history 0 the period-2 type 1
 * prefers period2[0][0] = (1, 2) (utility 2 - 1 = 1) to its own (0, 0) (utility 0): gain 1.
 * Nobody truthful ever reaches it, and IIC holds even against a type 1 that misreports 0 and then
 * takes (1, 2): 1 + 1 on both sides.
 */
export const zeroProbabilityMarket = market({
  theta: ['1/2', 1],
  prior: ['1/2', '1/2'],
  transition: [
    [1, 0],
    [0, 1],
  ],
  a: 1,
  delta: 1,
});

export const zeroProbabilityContract = contract(
  [
    [1, 2],
    [2, 5],
  ],
  [
    [
      [1, 2],
      [0, 0],
    ],
    [
      [0, 0],
      [2, 5],
    ],
  ],
);

/**
 * IIC fails only against a double deviation. History 1 offers (0, 0) and (1, 10); type 0 in
 * period 2 would take (1, 10) (utility 10 - 2 = 8, IC2 gain 8). A period-1 type 0 that misreports 1
 * loses 3 in period 1 (u0(2, 5) = -3 vs u0(1, 2) = 0); reporting truthfully afterwards it collects
 * 1/4 * 9 (as type 1) instead of 1/4 * 1: net -1, no violation with sigma = identity. With
 * sigma = (1, 1) it collects 3/4 * 8 + 1/4 * 9 = 33/4 instead of 1/4: gain -3 + 8 = 5.
 */
export const doubleDeviationMarket = market({
  theta: ['1/2', 1],
  prior: ['1/2', '1/2'],
  transition: [
    ['3/4', '1/4'],
    ['1/4', '3/4'],
  ],
  a: 1,
  delta: 1,
});

export const doubleDeviationContract = contract(
  [
    [1, 2],
    [2, 5],
  ],
  [
    [
      [1, 2],
      [2, 5],
    ],
    [
      [0, 0],
      [1, 10],
    ],
  ],
);
