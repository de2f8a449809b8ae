/**
 * The probe: a fixed set of held-out markets on which a learner measures its noise-free contracts
 * while it trains, raw (the batched float evaluator, fast enough for every logging interval) and
 * after exact repair, against U*. The raw figures show how far the policy itself is from
 * feasibility; "feasible" here is the float violation being 0, the cheap test the curve can afford
 * (the evaluation's is exact).
 */
import {
  type ActionFormulation,
  contractOfAction,
  createBatchEvaluator,
  encodeState,
  type Market,
  stateDim,
  toDecimalContract,
  toDecimalMarket,
} from '@diffcontract/env';
import { repairContract } from '@diffcontract/optimum';
import { optimumFor } from './optimum.js';

export interface ProbeFigures {
  /** mean U/U* of the raw contracts */
  ratio: number;
  /** mean violation of the raw contracts */
  violation: number;
  /** share of raw contracts with violation 0 in floating point */
  feasible: number;
  /** mean U/U* after repair */
  ratioRepaired: number;
}

export class Probe {
  /** the probe markets' encoded states, float32 (what a policy acts on) */
  readonly states: Float32Array;
  private readonly states64: Float64Array;
  private readonly evaluator: ReturnType<typeof createBatchEvaluator>;
  private readonly exact;

  private constructor(
    private readonly markets: Market<number>[],
    private readonly uStar: number[],
    private readonly formulation: ActionFormulation,
    private readonly penalty: number,
  ) {
    const K = markets[0]!.theta.length;
    const S = stateDim(K);
    this.states = new Float32Array(markets.length * S);
    this.states64 = new Float64Array(markets.length * S);
    markets.forEach((m, i) => {
      encodeState(m, this.states, i * S);
      encodeState(m, this.states64, i * S);
    });
    this.evaluator = createBatchEvaluator(formulation, K, {
      qMax: markets[0]!.qMax,
      capacity: markets.length,
      penalty,
    });
    this.exact = markets.map(toDecimalMarket);
  }

  /** Solves (or reads from the cache at `optimumCache`, see `optimumFor`) U* of every probe market. */
  static async create(
    markets: Market<number>[],
    optimumCache: string | undefined,
    formulation: ActionFormulation,
    penalty: number,
  ): Promise<Probe> {
    const optimum = await optimumFor(markets.map(toDecimalMarket), optimumCache);
    return new Probe(
      markets,
      optimum.map((o) => o.uStar),
      formulation,
      penalty,
    );
  }

  /** Figures of the actions a policy takes on `states` (noise-free, by the caller's choice). */
  async measure(actions: Float32Array): Promise<ProbeFigures> {
    const r = this.evaluator.evaluate(this.states64, actions, this.markets.length);
    const n = this.markets.length;
    const A = actions.length / n;
    let ratio = 0;
    let violation = 0;
    let feasible = 0;
    let ratioRepaired = 0;
    for (let i = 0; i < n; i++) {
      const m = this.markets[i]!;
      ratio += (r.utility[i]! * m.esCount) / this.uStar[i]!;
      violation += r.violation[i]!;
      if (r.violation[i] === 0) feasible++;
      const raw = contractOfAction(m, actions.subarray(i * A, (i + 1) * A), this.formulation, {
        penalty: this.penalty,
      });
      const repaired = await repairContract(this.exact[i]!, toDecimalContract(raw));
      ratioRepaired += repaired.cloudUtility / this.uStar[i]!;
    }
    return {
      ratio: ratio / n,
      violation: violation / n,
      feasible: feasible / n,
      ratioRepaired: ratioRepaired / n,
    };
  }
}
