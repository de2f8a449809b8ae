/**
 * The probe: a fixed set of held-out markets (own seed; neither training nor evaluation markets) on
 * which every metrics line measures the policy's noise-free contracts, raw and after exact repair,
 * against U*. The repaired figure is the one the evaluation reports, so the learning curve shows
 * progress towards it; the raw figures show how far the policy itself is from feasibility.
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
import type { SacAgent } from '@diffcontract/sac';
import { optimumFor } from './optimum-cache.js';

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
  private readonly states32: Float32Array;
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
    this.states32 = new Float32Array(markets.length * S);
    this.states64 = new Float64Array(markets.length * S);
    markets.forEach((m, i) => {
      encodeState(m, this.states32, i * S);
      encodeState(m, this.states64, i * S);
    });
    this.evaluator = createBatchEvaluator(formulation, K, {
      qMax: markets[0]!.qMax,
      capacity: markets.length,
      penalty,
    });
    this.exact = markets.map(toDecimalMarket);
  }

  /** Solves (or reads from the run's cache) U* of every probe market. */
  static async create(
    markets: Market<number>[],
    optimumCache: string,
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

  /** Noise-free actions: probing never consumes a training stream. */
  async measure(agent: SacAgent): Promise<ProbeFigures> {
    const actions = agent.act(this.states32, { deterministic: true });
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
