import {
  type ContractInput,
  exactContractOf,
  exactMarketOf,
  exactValue,
  type MarketInput,
  type Rational,
} from '@diffcontract/env';
import type { MarginReport, MarginStep, Verdict } from './certificate.js';
import { checkContract } from './check.js';
import { DEFAULT_CHECK_OPTIONS, type MarginOptions, resolveMarginOptions } from './config.js';
import { ONE, ZERO } from './rational.js';

/**
 * The robustness margin: the largest EPS in [0, 1) for which the robust check certifies the
 * contract, bracketed by bisection. The certified EPS form an interval [0, m] (a larger EPS only
 * enlarges the perturbation box, and a violation found in the box of some EPS is an open
 * condition, so it also shows up for a slightly smaller EPS), which is what makes bisection valid;
 * an `unknown` step is treated like a violation, so the bracket stays sound but may be loose.
 */
export async function robustnessMargin(
  marketInput: MarketInput,
  contractInput: ContractInput,
  options: Partial<MarginOptions> = {},
): Promise<MarginReport> {
  const market = exactMarketOf(marketInput);
  const contract = exactContractOf(contractInput);
  const opts = resolveMarginOptions(options);
  const digits = DEFAULT_CHECK_OPTIONS.decimalDigits;
  const started = performance.now();
  const steps: MarginStep[] = [];
  const run = async (eps: Rational | null): Promise<Verdict> => {
    const cert = await checkContract(market, contract, {
      robust: eps,
      timeoutMs: opts.timeoutMs,
      iicMethod: opts.iicMethod,
    });
    steps.push({ eps: exactValue(eps ?? ZERO, digits), verdict: cert.verdict });
    return cert.verdict;
  };
  const report = (partial: Omit<MarginReport, 'tolerance' | 'steps' | 'timeMs'>): MarginReport => ({
    ...partial,
    tolerance: exactValue(opts.tolerance, digits),
    steps,
    timeMs: performance.now() - started,
  });

  if ((await run(null)) !== 'certified') {
    return report({ certifiedAtZero: false, lo: null, hi: null, hiReason: null });
  }
  let lo = ZERO;
  let hi = ONE;
  let hiReason: MarginReport['hiReason'] = 'domain';
  while (hi.sub(lo).compare(opts.tolerance) > 0) {
    const mid = lo.add(hi).div(2);
    const verdict = await run(mid);
    if (verdict === 'certified') {
      lo = mid;
    } else {
      hi = mid;
      hiReason = verdict === 'violated' ? 'violated' : 'unknown';
    }
  }
  return report({ certifiedAtZero: true, lo: exactValue(lo, digits), hi: exactValue(hi, digits), hiReason });
}
