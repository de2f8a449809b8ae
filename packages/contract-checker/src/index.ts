export { decimalText, type ExactValue, exactValue, fractionText } from '@diffcontract/env';
export { CANONICAL_FORM, canonicalText, contractHash } from './canonical.js';
export type {
  Certificate,
  Counterexample,
  FamilyMethod,
  FamilyResult,
  FamilyStatus,
  MarginReport,
  MarginStep,
  Verdict,
} from './certificate.js';
export { checkContract } from './check.js';
export {
  type CheckOptions,
  DEFAULT_CHECK_OPTIONS,
  DEFAULT_MARGIN_OPTIONS,
  type IicMethod,
  type MarginOptions,
} from './config.js';
export { robustnessMargin } from './margin.js';
export { CheckerInternalError } from './prove.js';
export { type SolverInfo, shutdownZ3, withZ3, type Z3Session, z3Session } from './z3.js';
