/**
 * Evaluation of a policy on a fixed list of markets: the raw contract the policy proposes (best of N
 * candidates), the contract delivered for it (exactly priced, or repaired), and a z3 certificate for
 * the delivered one, each compared with the optimum U*.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkContract } from '@diffcontract/contract-checker';
import {
  type ActionFormulation,
  cloudUtility,
  contractOfAction,
  type ExactMarket,
  encodeState,
  formatContractFile,
  isFeasibleExact,
  stateDim,
  toDecimalContract,
  violation,
  writeFileAtomic,
} from '@diffcontract/env';
import { type Delivered, deliver } from './deliver.js';
import { candidateSeed, type EvalMarket } from './markets.js';
import { type EvalReport, type MarketResult, summarise } from './summary.js';

export interface EvaluateOptions {
  markets: EvalMarket[];
  /** U* and its proven gap per market (`optimumFor`) */
  optimum: readonly { uStar: number; gap: number }[];
  /** the policy's noise-free actions: `count * stateDim` states in, `count * actionDim` actions in [-1, 1] out */
  act: (states: Float32Array) => Float32Array;
  /** sampled actions for `states`, drawn from a noise stream seeded with `seed`; needed when N > 1 */
  sample?: (states: Float32Array, seed: number) => Float32Array;
  /** what an action means (model.md section 6) */
  formulation: ActionFormulation;
  /** lambda: candidates are ranked by U/N - lambda viol of their float contracts */
  penalty: number;
  /** N: the noise-free action and N - 1 samples per market; the best is delivered (default 1) */
  candidates?: number;
  certify: boolean;
  certifyTimeoutMs?: number;
  /** directory receiving contracts/ and contracts-raw/; none: no files are written */
  outDir?: string;
  /** written into each contract file's meta.source */
  source?: string;
  onMarket?: (done: number, total: number) => void;
}

/**
 * Proposes N actions per market, prices each (float), delivers the best exactly priced: in the
 * allocation formulation the exact cheapest rewards for the chosen allocation, repaired to the
 * nearest implementable allocation only when it is not implementable (model.md section 6.1).
 */
export async function evaluatePolicy(opts: EvaluateOptions): Promise<EvalReport> {
  const { markets, formulation, penalty } = opts;
  if (markets.length === 0) throw new Error('evaluation: no markets');
  const N = Math.max(1, opts.candidates ?? 1);
  if (N > 1 && !opts.sample) throw new Error(`evaluation: candidates ${N} needs a sample function`);
  const K = markets[0]!.market.theta.length;
  const S = stateDim(K);
  const states = new Float32Array(markets.length * S);
  markets.forEach((m, i) => {
    encodeState(m.market, states, i * S);
  });
  const noiseFree = opts.act(states);
  const A = noiseFree.length / markets.length;
  const files = opts.outDir === undefined ? undefined : contractDirs(opts.outDir);
  const source = opts.source ?? '@diffcontract/evaluation';

  const results: MarketResult[] = [];
  for (let i = 0; i < markets.length; i++) {
    const { name, market, exact } = markets[i]!;
    const { uStar, gap } = opts.optimum[i]!;
    // Candidates: the noise-free action, then N - 1 samples whose noise is seeded by the market
    // itself, so a market gets the same contract whatever else is evaluated beside it.
    const own = states.subarray(i * S, (i + 1) * S);
    const repeated = new Float32Array((N - 1) * S);
    for (let c = 0; c < N - 1; c++) repeated.set(own, c * S);
    const samples = N > 1 ? opts.sample!(repeated, candidateSeed(exact)) : new Float32Array(0);
    const proposals = [
      noiseFree.subarray(i * A, (i + 1) * A),
      ...Array.from({ length: N - 1 }, (_, c) => samples.subarray(c * A, (c + 1) * A)),
    ];
    // Rank the candidates by the float contract's U/N - lambda viol (the reward without its scale).
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    const contracts = proposals.map((action, c) => {
      const contract = contractOfAction(market, action, formulation, { penalty });
      const score = cloudUtility(market, contract) / market.esCount - penalty * violation(market, contract);
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
      return contract;
    });
    const raw = contracts[best]!;
    const rawExact = toDecimalContract(raw);
    const rawUtility = cloudUtility(market, raw);
    if (files) {
      writeFileAtomic(
        join(files.raw, `${name}.json`),
        formatContractFile({
          market: exact,
          contract: rawExact,
          meta: { source: `${source} (raw policy output)`, cloudUtility: rawUtility },
        }),
      );
    }
    const delivered = await deliver(market, exact, raw, formulation);
    const single = best === 0 ? delivered : await deliver(market, exact, contracts[0]!, formulation);
    const feasible = isFeasibleExact(exact, delivered.contract);
    const certificate = opts.certify
      ? await checkContract(exact, delivered.contract, { timeoutMs: opts.certifyTimeoutMs ?? 10_000 })
      : undefined;
    if (files) writeDelivered(join(files.delivered, `${name}.json`), exact, delivered, source, certificate);
    results.push({
      name,
      uStar,
      uStarGap: gap,
      raw: {
        utility: rawUtility,
        ratio: rawUtility / uStar,
        violation: violation(market, raw),
        feasible: isFeasibleExact(exact, rawExact),
      },
      repaired: {
        utility: delivered.utility,
        ratio: delivered.utility / uStar,
        feasible,
        changedAllocation: delivered.changedAllocation,
      },
      candidate: best,
      single: { ratio: single.utility / uStar, changedAllocation: single.changedAllocation },
      certificate: certificate ? { verdict: certificate.verdict, timeMs: certificate.timeMs } : null,
    });
    opts.onMarket?.(i + 1, markets.length);
  }
  return { summary: summarise(results, N), markets: results };
}

function contractDirs(outDir: string): { raw: string; delivered: string } {
  const raw = join(outDir, 'contracts-raw');
  const delivered = join(outDir, 'contracts');
  mkdirSync(raw, { recursive: true });
  mkdirSync(delivered, { recursive: true });
  return { raw, delivered };
}

function writeDelivered(
  path: string,
  market: ExactMarket,
  delivered: Delivered,
  source: string,
  certificate: object | undefined,
): void {
  writeFileAtomic(
    path,
    formatContractFile({
      market,
      contract: delivered.contract,
      meta: {
        source: `${source} (${delivered.changedAllocation ? 'repaired' : 'exactly priced'})`,
        cloudUtility: delivered.utility,
        changedAllocation: delivered.changedAllocation,
      },
      ...(certificate ? { certificate: certificate as unknown as Record<string, unknown> } : {}),
    }),
  );
}
