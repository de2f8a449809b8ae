/**
 * Hyperparameters of the optimum solver and of repair. Every field has a documented default in
 * DEFAULT_OPTIMUM_OPTIONS; callers override any subset.
 */
export interface OptimumOptions {
  /**
   * Stop the outer approximation once (upperBound - cloudUtility) / |upperBound| is at most this.
   * Default 1e-9 (issue 2). Smaller values are allowed down to the float noise floor (~1e-13).
   */
  gapTolerance: number;
  /** Cap on LP solves of the outer approximation; default 200 (K = 3 needs ~15). */
  maxIterations: number;
  /**
   * HiGHS primal and dual feasibility tolerance; default 1e-10, the smallest HiGHS accepts. The LP
   * point is only used as a starting point: feasibility of the result is made exact afterwards.
   */
  lpTolerance: number;
  /**
   * q and rewards of solveOptimum's contract lie on the dyadic grid 2^-gridBits (when the closure
   * allows it), so they are binary64 numbers exactly and the float contract equals the exact one.
   * Default 40: values below 2^12 then fit the 53-bit mantissa.
   */
  gridBits: number;
}

export const DEFAULT_OPTIMUM_OPTIONS: Readonly<OptimumOptions> = Object.freeze({
  gapTolerance: 1e-9,
  maxIterations: 200,
  lpTolerance: 1e-10,
  gridBits: 40,
});

export function resolveOptions(options: Partial<OptimumOptions> = {}): OptimumOptions {
  const resolved = { ...DEFAULT_OPTIMUM_OPTIONS, ...options };
  const bad = (field: keyof OptimumOptions, rule: string) => {
    throw new RangeError(`options.${field}: ${rule} (${resolved[field]})`);
  };
  if (!(resolved.gapTolerance > 0 && resolved.gapTolerance < 1)) bad('gapTolerance', 'must be in (0, 1)');
  if (!Number.isSafeInteger(resolved.maxIterations) || resolved.maxIterations < 1) {
    bad('maxIterations', 'must be an integer >= 1');
  }
  if (!(resolved.lpTolerance >= 1e-10 && resolved.lpTolerance <= 1e-5)) {
    bad('lpTolerance', 'must be in [1e-10, 1e-5]');
  }
  if (!Number.isSafeInteger(resolved.gridBits) || resolved.gridBits < 8 || resolved.gridBits > 52) {
    bad('gridBits', 'must be an integer in [8, 52]');
  }
  return resolved;
}
