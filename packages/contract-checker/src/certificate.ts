import type { ConstraintFamily, ExactValue } from '@diffcontract/env';
import type { SolverInfo } from './z3.js';

/** The shape of specs/certificate.schema.json (certificateVersion 1). */

export type FamilyStatus = 'proved' | 'violated' | 'unknown';

/**
 * How a family was established:
 * - `direct`: the negation of every instance of the family in one query (IR1, IR2, IC2);
 * - `all-deviations`: IIC against every report i' (i' = i included) combined with every period-2
 *   reporting strategy sigma, sigma symbolic;
 * - `identity-after-IC2`: IIC against every i' != i with sigma = identity, sound because IC2 was
 *   proved in the same run (the best sigma is then truthful).
 */
export type FamilyMethod = 'direct' | 'all-deviations' | 'identity-after-IC2';

export interface Counterexample {
  family: ConstraintFamily;
  /** the deviating ES's true type: period-1 type i for IR1/IIC, period-2 type j for IR2/IC2 */
  type: number;
  /** 0-based indices as in the contract file's arrays */
  i: number;
  j?: number;
  jPrime?: number;
  iPrime?: number;
  /** IIC: sigma[j] is the period-2 report of true period-2 type j after reporting iPrime */
  sigma?: number[];
  /** the deviation in words */
  deviation: string;
  /** lhs of the constraint: the truthful / participating utility */
  truthful: ExactValue;
  /** rhs: the utility of the deviation (0 for staying out) */
  deviating: ExactValue;
  /** deviating - truthful > 0 */
  gain: ExactValue;
  /** true when z3 proved that no instance of the family gains more (nominal checks only) */
  worst: boolean;
  /** robust checks: the perturbed parameters the violation occurs at */
  perturbed?: { theta: ExactValue[]; a: ExactValue };
  /**
   * true when every value above was recomputed in rational arithmetic at a rational point;
   * false only for a robust witness z3 gave as irrational algebraic numbers that could not be
   * rounded to a rational point that still violates (values are then z3's decimal approximations)
   */
  exact: boolean;
}

export interface FamilyResult {
  family: ConstraintFamily;
  status: FamilyStatus;
  method: FamilyMethod;
  /** constraint instances covered: for all-deviations, K^2 report pairs times K^K strategies */
  instances: number;
  /** z3 queries run for this family (1 + counterexample-maximisation rounds) */
  queries: number;
  timeMs: number;
  counterexample?: Counterexample;
  /** set when status is unknown */
  unknown?: { reason: string; timeoutMs: number; resourceLimit?: number };
  /** IIC only: why the requested method was not used */
  note?: string;
}

export type Verdict = 'certified' | 'violated' | 'unknown';

export interface Certificate {
  certificateVersion: 1;
  verdict: Verdict;
  /** sha-256 (hex) of the canonical form named in canonicalForm */
  contractSha256: string;
  canonicalForm: string;
  /** number of types K */
  types: number;
  /** IIC reasoning requested: identity-after-IC2 or all-deviations */
  iicMethod: 'identity-after-IC2' | 'all-deviations';
  /** null: the market exactly as written; else the perturbation the proof covers */
  robust: null | { eps: ExactValue; perturbed: ['theta', 'a'] };
  families: { IR1: FamilyResult; IR2: FamilyResult; IC2: FamilyResult; IIC: FamilyResult };
  solver: SolverInfo & { timeoutMs: number };
  /** wall-clock milliseconds of the check, z3's one-off start-up excluded */
  timeMs: number;
  margin?: MarginReport;
}

export interface MarginStep {
  eps: ExactValue;
  verdict: Verdict;
}

/**
 * The largest EPS for which the robust check certifies lies in [lo, hi]: lo was certified, hi was
 * violated or unknown (or is the end of the domain EPS < 1, never certified by construction).
 */
export interface MarginReport {
  /** false when the nominal market itself is not certified; lo and hi are then null */
  certifiedAtZero: boolean;
  lo: ExactValue | null;
  hi: ExactValue | null;
  /** what was found at hi: 'violated' | 'unknown' | 'domain' (hi = 1, the end of EPS < 1) */
  hiReason: 'violated' | 'unknown' | 'domain' | null;
  tolerance: ExactValue;
  steps: MarginStep[];
  timeMs: number;
}

const FAMILIES: ConstraintFamily[] = ['IR1', 'IR2', 'IC2', 'IIC'];

export function verdictOf(families: Certificate['families']): Verdict {
  const statuses = FAMILIES.map((f) => families[f].status);
  if (statuses.includes('violated')) return 'violated';
  if (statuses.includes('unknown')) return 'unknown';
  return 'certified';
}

export { FAMILIES };
