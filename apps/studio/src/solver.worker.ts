/** HiGHS (the optimum, repair) and the policy's inference, off the page's thread. */
import { formatContractFile, isFeasibleExact, toFloatContract } from '@diffcontract/env';
import { highsRuntime, solveOptimum } from '@diffcontract/optimum';
import { learnedContract, rawUtility } from './learned.js';
import { parseMarketText } from './market-text.js';
import { mark } from './marks.js';
import type { LearnedReply, OptimumReply, SolverRequest } from './protocol.js';
import { parseWeights } from './weights.js';
import { serve } from './worker-loop.js';

// HiGHS compiles while the page sends the market
mark('solver worker started');
void highsRuntime().then(
  () => mark('highs ready'),
  () => undefined,
);

serve<SolverRequest>(async (request, progress) => {
  const market = parseMarketText(request.marketText, 'market');
  if (request.kind === 'solve') {
    progress(0, 1, 'optimum');
    mark('solve start');
    const result = await solveOptimum(market);
    mark('solve end');
    if (!isFeasibleExact(market, result.exactContract))
      throw new Error('solve: the optimum is not exactly feasible for the market as written');
    const reply: OptimumReply = {
      cloudUtility: result.cloudUtility,
      perES: result.perES,
      upperBound: result.upperBound,
      gap: result.gap,
      iterations: result.iterations,
      contract: result.contract,
      contractText: formatContractFile({
        market,
        contract: result.exactContract,
        meta: {
          source: 'solve',
          cloudUtility: result.cloudUtility,
          perES: result.perES,
          upperBound: result.upperBound,
          gap: result.gap,
        },
      }),
    };
    return reply;
  }
  const { policy } = request;
  const weights = parseWeights(policy.manifestText, policy.bytes, policy.names);
  const result = await learnedContract(market, weights, request.candidates, {
    seed: request.seed,
    onProgress: (done, total) => progress(done, total, 'candidates'),
  });
  const reply: LearnedReply = {
    cloudUtility: result.best.cloudUtility,
    rawUtility: rawUtility(market, result.best.raw),
    changedAllocation: result.best.changedAllocation,
    bestIndex: result.bestIndex,
    candidates: result.candidates,
    utilities: result.utilities,
    raw: result.best.raw,
    contract: toFloatContract(result.best.contract),
    contractText: formatContractFile({
      market,
      contract: result.best.contract,
      meta: {
        source: `policy ${policy.names.manifest}, best of ${result.candidates} (repaired)`,
        cloudUtility: result.best.cloudUtility,
        perES: result.best.cloudUtility / market.esCount,
        changedAllocation: result.best.changedAllocation,
      },
    }),
  };
  return reply;
});
