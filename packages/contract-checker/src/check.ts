import {
  type ContractInput,
  exactContractOf,
  exactMarketOf,
  exactValue,
  type MarketInput,
  validateContract,
  validateMarket,
} from '@diffcontract/env';
import { CANONICAL_FORM, contractHash } from './canonical.js';
import { type Certificate, type FamilyResult, verdictOf } from './certificate.js';
import { type CheckOptions, resolveCheckOptions } from './config.js';
import { nominalParameters, robustParameters, Utilities } from './encode.js';
import { refuteFamily } from './prove.js';
import { withZ3 } from './z3.js';

let checkCounter = 0;

/**
 * Proves (or refutes) IR1, IR2, IC2 and IIC of model.md section 4 for a contract on its market,
 * with every number taken exactly as given, and returns the certificate. With `robust` set the
 * proof covers every theta' and a' within that relative perturbation. Numbers may be floats (their
 * exact binary64 values), fraction.js rationals or exact strings (env's MarketInput/ContractInput);
 * any other value is an InputError naming its path.
 *
 * The market and contract are validated first (ModelError on a shape or range problem). All
 * checks in a process share one z3 context and run one at a time in call order, so concurrent calls
 * are safe (they queue); call shutdownZ3() before exiting.
 */
export async function checkContract(
  marketInput: MarketInput,
  contractInput: ContractInput,
  options: Partial<CheckOptions> = {},
): Promise<Certificate> {
  const opts = resolveCheckOptions(options);
  const market = exactMarketOf(marketInput);
  const contract = exactContractOf(contractInput);
  validateMarket(market);
  validateContract(market, contract);
  return withZ3(async (session) => {
    // proof time only: z3's one-off start-up is not a property of this contract
    const started = performance.now();
    const { ctx } = session;
    const tag = `k${++checkCounter}`;
    const params =
      opts.robust === null ? nominalParameters(ctx, market) : robustParameters(ctx, market, opts.robust, tag);
    const utilities = new Utilities(ctx, market, contract, params);
    const subject = { market, contract };
    const K = market.theta.length;

    const ir1 = await refuteFamily(session, subject, params, utilities.ir1(), 'direct', K, opts);
    const ir2 = await refuteFamily(session, subject, params, utilities.ir2(), 'direct', K * K, opts);
    const ic2 = await refuteFamily(
      session,
      subject,
      params,
      utilities.ic2(),
      'direct',
      K * K * (K - 1),
      opts,
    );
    let iic: FamilyResult;
    if (opts.iicMethod === 'identity' && ic2.status === 'proved') {
      iic = await refuteFamily(
        session,
        subject,
        params,
        utilities.iicIdentity(),
        'identity-after-IC2',
        K * (K - 1),
        opts,
      );
    } else {
      iic = await refuteFamily(
        session,
        subject,
        params,
        utilities.iicAll(tag),
        'all-deviations',
        K * K * K ** K,
        opts,
      );
      if (opts.iicMethod === 'identity') {
        iic.note = `IC2 ${ic2.status === 'violated' ? 'is violated' : 'was not proved'}, so sigma = identity would not be sound: every (i', sigma) was checked`;
      }
    }
    const families = { IR1: ir1, IR2: ir2, IC2: ic2, IIC: iic };
    return {
      certificateVersion: 1,
      verdict: verdictOf(families),
      contractSha256: contractHash(market, contract),
      canonicalForm: CANONICAL_FORM,
      types: K,
      iicMethod: opts.iicMethod === 'identity' ? 'identity-after-IC2' : 'all-deviations',
      robust:
        opts.robust === null
          ? null
          : { eps: exactValue(opts.robust, opts.decimalDigits), perturbed: ['theta', 'a'] },
      families,
      solver: { ...session.info, timeoutMs: opts.timeoutMs },
      timeMs: performance.now() - started,
    };
  });
}
