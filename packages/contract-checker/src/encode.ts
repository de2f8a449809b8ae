import {
  type ConstraintFamily,
  type ConstraintIndex,
  type ContractItem,
  constraintIndices,
  type ExactContract,
  type ExactMarket,
  type Rational,
} from '@diffcontract/env';
import type { Arith, Bool } from 'z3-solver';
import { toCoercible } from './rational.js';
import type { Ctx } from './z3.js';

type A = Arith<'diffcontract'>;
type B = Bool<'diffcontract'>;

/**
 * The market parameters the utilities depend on, as z3 terms: `energy` is a (or a'), `inverse[k]`
 * is 1/theta_k (or 1/theta'_k). With s_k = 1/theta'_k every utility R - a' q^2 s_k is bilinear, so
 * a robust query is a degree-2 polynomial problem without divisions or defining equations.
 */
export interface Parameters {
  energy: A;
  inverse: A[];
  /** constraints on the symbols (empty for the nominal market) */
  side: B[];
  /** set in robust mode: the perturbation EPS and the symbols z3 chooses */
  robust?: { eps: Rational; energy: A; inverse: A[] };
}

/** Nominal parameters: numerals holding a and 1/theta_k exactly. */
export function nominalParameters(ctx: Ctx, market: ExactMarket): Parameters {
  return {
    energy: ctx.Real.val(toCoercible(market.a)),
    inverse: market.theta.map((t) => ctx.Real.val(toCoercible(t.inverse()))),
    side: [],
  };
}

/**
 * Perturbed parameters: a' with |a' - a| <= EPS a and theta'_k with |theta'_k - theta_k| <= EPS
 * theta_k, order kept (theta'_1 < ... < theta'_K). In s_k = 1/theta'_k this is the box
 * 1/(theta_k (1 + EPS)) <= s_k <= 1/(theta_k (1 - EPS)) with s_1 > ... > s_K.
 */
export function robustParameters(ctx: Ctx, market: ExactMarket, eps: Rational, tag: string): Parameters {
  const { Real } = ctx;
  const up = eps.add(1);
  const down = eps.neg().add(1);
  const energy = Real.const(`a_${tag}`);
  const inverse = market.theta.map((_, k) => Real.const(`s${k}_${tag}`));
  const side: B[] = [
    energy.ge(Real.val(toCoercible(market.a.mul(down)))),
    energy.le(Real.val(toCoercible(market.a.mul(up)))),
  ];
  market.theta.forEach((theta, k) => {
    side.push(inverse[k]!.ge(Real.val(toCoercible(theta.mul(up).inverse()))));
    side.push(inverse[k]!.le(Real.val(toCoercible(theta.mul(down).inverse()))));
    if (k > 0) side.push(inverse[k - 1]!.gt(inverse[k]!));
  });
  return { energy, inverse, side, robust: { eps, energy, inverse } };
}

/** One way to break one constraint instance: `gain` = rhs - lhs, positive exactly when violated. */
export interface Deviation {
  family: ConstraintFamily;
  i: number;
  j?: number;
  jPrime?: number;
  iPrime?: number;
  gain: A;
}

export interface FamilyEncoding {
  family: ConstraintFamily;
  deviations: Deviation[];
  /** extra constraints (the symbolic period-2 strategy of IIC `all`) */
  side: B[];
  /**
   * For IIC `all`: choice[iPrime][j] is the period-2 utility the deviator collects as true type j
   * after reporting iPrime, constrained to one of u(theta_j; period2[iPrime][m]); z3 picks m.
   */
  choice?: A[][];
  /** options[iPrime][j][m] = u(theta_j; period2[iPrime][m]), the values choice[iPrime][j] may take */
  options?: A[][][];
}

/** Utility tables over the given parameters, built once per check. */
export class Utilities {
  /** first[k][i] = u(theta_k; period1[i]) */
  readonly first: A[][];
  /** second[i][k][m] = u(theta_k; period2[i][m]) */
  readonly second: A[][][];

  constructor(
    readonly ctx: Ctx,
    readonly market: ExactMarket,
    readonly contract: ExactContract,
    readonly params: Parameters,
  ) {
    const K = market.theta.length;
    const range = [...Array(K).keys()];
    this.first = range.map((k) => contract.period1.map((item) => this.utility(k, item)));
    this.second = contract.period2.map((row) => range.map((k) => row.map((item) => this.utility(k, item))));
  }

  /** u(theta_k; q, R) = R - q^2 a s_k, with q^2 formed exactly in rationals */
  private utility(k: number, item: ContractItem<Rational>): A {
    const { Real } = this.ctx;
    const cost = Real.val(toCoercible(item.q.mul(item.q)))
      .mul(this.params.energy)
      .mul(this.params.inverse[k]!);
    return Real.val(toCoercible(item.reward)).sub(cost);
  }

  private weight(i: number, j: number): A {
    return this.ctx.Real.val(toCoercible(this.market.delta.mul(this.market.transition[i]![j]!)));
  }

  private get K(): number {
    return this.market.theta.length;
  }

  /** The instances of one family, in env's order (`constraintIndices`). */
  private instances<F extends ConstraintIndex['family']>(
    family: F,
  ): Extract<ConstraintIndex, { family: F }>[] {
    return constraintIndices(this.K).filter(
      (c): c is Extract<ConstraintIndex, { family: F }> => c.family === family,
    );
  }

  ir1(): FamilyEncoding {
    const deviations = this.instances('IR1').map((c) => ({ ...c, gain: this.first[c.i]![c.i]!.neg() }));
    return { family: 'IR1', deviations, side: [] };
  }

  ir2(): FamilyEncoding {
    const deviations = this.instances('IR2').map((c) => ({
      ...c,
      gain: this.second[c.i]![c.j]![c.j]!.neg(),
    }));
    return { family: 'IR2', deviations, side: [] };
  }

  ic2(): FamilyEncoding {
    const deviations = this.instances('IC2').map((c) => ({
      ...c,
      gain: this.second[c.i]![c.j]![c.jPrime]!.sub(this.second[c.i]![c.j]![c.j]!),
    }));
    return { family: 'IC2', deviations, side: [] };
  }

  /** IIC against misreports i' != i followed by truthful period-2 reports (sigma = identity). */
  iicIdentity(): FamilyEncoding {
    const deviations = this.instances('IIC').map((c) => ({
      ...c,
      gain: this.iicGain(c.i, c.iPrime, (j) => this.second[c.iPrime]![j]![j]!),
    }));
    return { family: 'IIC', deviations, side: [] };
  }

  /** IIC against every report i' (i' = i included) and every period-2 strategy sigma. */
  iicAll(tag: string): FamilyEncoding {
    const { Real, Or } = this.ctx;
    const side: B[] = [];
    const choice = this.range().map((iPrime) =>
      this.range().map((j) => {
        const c = Real.const(`c${iPrime}_${j}_${tag}`);
        side.push(Or(...this.second[iPrime]![j]!.map((u) => c.eq(u))));
        return c;
      }),
    );
    const deviations: Deviation[] = [];
    for (const i of this.range()) {
      for (const iPrime of this.range()) {
        deviations.push({
          family: 'IIC',
          i,
          iPrime,
          gain: this.iicGain(i, iPrime, (j) => choice[iPrime]![j]!),
        });
      }
    }
    return { family: 'IIC', deviations, side, choice, options: this.second };
  }

  /**
   * [u(theta_i; period1[i']) - u(theta_i; period1[i])]
   *   + sum_j delta P[i][j] [collected(j) - u(theta_j; period2[i][j])]
   */
  private iicGain(i: number, iPrime: number, collected: (j: number) => A): A {
    let gain = this.first[i]![iPrime]!.sub(this.first[i]![i]!);
    for (const j of this.range()) {
      gain = gain.add(this.weight(i, j).mul(collected(j).sub(this.second[i]![j]![j]!)));
    }
    return gain;
  }

  private range(): number[] {
    return [...Array(this.K).keys()];
  }
}
