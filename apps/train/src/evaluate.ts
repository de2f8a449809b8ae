/**
 * Evaluation of a policy on a fixed list of markets (the evaluation set, or files given with
 * `eval --markets`): the raw contract the policy proposes, the same contract after exact repair,
 * and a z3 certificate for the repaired one, each compared with the optimum U*.
 *
 * Numbers: a float market is turned into exact rationals through the shortest decimal that reads
 * back to each binary64 (what the written files say), so the contract files, the repair and the
 * certificate all speak about exactly the market that is written down.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkContract } from '@diffcontract/contract-checker';
import {
  type ActionFormulation,
  allocationOf,
  type Contract,
  cloudUtility,
  contractOfAction,
  type ExactContract,
  type ExactMarket,
  encodeState,
  formatContractFile,
  isFeasibleExact,
  type Market,
  stateDim,
  toDecimalContract,
  toDecimalMarket,
  toFloatContract,
  violation,
  writeFileAtomic,
} from '@diffcontract/env';
import { priceAllocationExact, repairContract } from '@diffcontract/optimum';
import { marketKey, type OptimumEntry } from './optimum-cache.js';

/** One market to evaluate on, in both number worlds. */
export interface EvalMarket {
  /** file-name stem of its contract files, e.g. `market-007` */
  name: string;
  market: Market<number>;
  exact: ExactMarket;
}

export interface MarketResult {
  name: string;
  /** U* (N included) of the exact optimum, and its certified relative gap */
  uStar: number;
  uStarGap: number;
  raw: { utility: number; ratio: number; violation: number; feasible: boolean };
  repaired: { utility: number; ratio: number; feasible: boolean; changedAllocation: boolean };
  /** which of the N candidates was delivered (0: the noise-free action) */
  candidate: number;
  /** the noise-free action alone (N = 1), delivered the same way */
  single: { ratio: number; changedAllocation: boolean };
  /** null when certification is off */
  certificate: { verdict: string; timeMs: number } | null;
}

export interface EvalSummary {
  markets: number;
  meanRatioRaw: number;
  meanRatioRepaired: number;
  minRatioRepaired: number;
  meanViolationRaw: number;
  feasibleShareRaw: number;
  feasibleShareRepaired: number;
  /** null when certification is off */
  certifiedShare: number | null;
  changedAllocationShare: number;
  /** N, candidates per market */
  candidates: number;
  /** N = 1 (the noise-free action alone): mean and minimum U/U* delivered, share whose allocation changed */
  meanRatioSingle: number;
  minRatioSingle: number;
  changedAllocationShareSingle: number;
}

export interface EvalReport {
  summary: EvalSummary;
  markets: MarketResult[];
}

/** Evaluation markets from float markets (the evaluation set), named market-000, market-001, ... */
export function evalMarketsOf(markets: Market<number>[]): EvalMarket[] {
  const width = Math.max(3, String(markets.length - 1).length);
  return markets.map((market, i) => {
    return { name: `market-${String(i).padStart(width, '0')}`, market, exact: toDecimalMarket(market) };
  });
}

export interface EvaluateOptions {
  markets: EvalMarket[];
  optimum: OptimumEntry[];
  /** the policy's noise-free actions: `count * stateDim` states in, `count * actionDim` actions in [-1, 1] out */
  act: (states: Float32Array) => Float32Array;
  /** sampled actions for `states`, drawn from a noise stream seeded with `seed` */
  sample: (states: Float32Array, seed: number) => Float32Array;
  /** what an action means (model.md section 6) */
  formulation: ActionFormulation;
  /** lambda: candidates are ranked by U/N - lambda viol of their float contracts */
  penalty: number;
  /** N: the noise-free action and N - 1 samples per market; the best is delivered */
  candidates: number;
  certify: boolean;
  certifyTimeoutMs: number;
  /** directory receiving contracts/ and contracts-raw/ */
  outDir: string;
  /** written into each contract file's meta.source */
  source: string;
  onMarket?: (done: number, total: number) => void;
}

const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((s, x) => s + x, 0) / xs.length);
const share = (flags: boolean[]) => mean(flags.map((f) => (f ? 1 : 0)));

export function summarise(results: MarketResult[], candidates = 1): EvalSummary {
  const certs = results.map((r) => r.certificate);
  return {
    markets: results.length,
    meanRatioRaw: mean(results.map((r) => r.raw.ratio)),
    meanRatioRepaired: mean(results.map((r) => r.repaired.ratio)),
    minRatioRepaired: Math.min(...results.map((r) => r.repaired.ratio)),
    meanViolationRaw: mean(results.map((r) => r.raw.violation)),
    feasibleShareRaw: share(results.map((r) => r.raw.feasible)),
    feasibleShareRepaired: share(results.map((r) => r.repaired.feasible)),
    certifiedShare: certs.some((c) => c === null)
      ? null
      : share(certs.map((c) => c?.verdict === 'certified')),
    changedAllocationShare: share(results.map((r) => r.repaired.changedAllocation)),
    candidates,
    meanRatioSingle: mean(results.map((r) => r.single.ratio)),
    minRatioSingle: Math.min(...results.map((r) => r.single.ratio)),
    changedAllocationShareSingle: share(results.map((r) => r.single.changedAllocation)),
  };
}

/** Seed of a market's sampled candidates: from its exact text, so it depends on the market alone. */
export function candidateSeed(market: ExactMarket): number {
  return Number.parseInt(marketKey(market).slice(0, 8), 16);
}

/**
 * The contract delivered for a float contract, and its figures: in the allocation formulation its
 * allocation with the exact cheapest rewards (optimum's priceAllocationExact; the nearest
 * implementable allocation when it is not implementable), in the contract formulation the repair.
 */
async function deliver(
  market: Market<number>,
  exact: ExactMarket,
  contract: Contract<number>,
  formulation: ActionFormulation,
) {
  const decimal = toDecimalContract(contract);
  if (formulation === 'allocation') {
    const priced = await priceAllocationExact(exact, allocationOf(decimal));
    const utility = cloudUtility(market, toFloatContract(priced.contract));
    return { contract: priced.contract, utility, changedAllocation: !priced.implementable };
  }
  const repair = await repairContract(exact, decimal);
  const utility = cloudUtility(market, toFloatContract(repair.contract));
  return { contract: repair.contract, utility, changedAllocation: repair.changedAllocation };
}

/**
 * Proposes N actions per market, prices each (float), delivers the best exactly priced: in the
 * allocation formulation the exact cheapest rewards for the chosen allocation, repaired to the
 * nearest implementable allocation only when it is not implementable (model.md section 6.1).
 */
export async function evaluatePolicy(opts: EvaluateOptions): Promise<EvalReport> {
  const { markets, formulation, penalty } = opts;
  if (markets.length === 0) throw new Error('evaluation: no markets');
  const N = Math.max(1, opts.candidates);
  const K = markets[0]!.market.theta.length;
  const S = stateDim(K);
  const states = new Float32Array(markets.length * S);
  markets.forEach((m, i) => {
    encodeState(m.market, states, i * S);
  });
  const noiseFree = opts.act(states);
  const A = noiseFree.length / markets.length;
  const rawDir = join(opts.outDir, 'contracts-raw');
  const repairedDir = join(opts.outDir, 'contracts');
  mkdirSync(rawDir, { recursive: true });
  mkdirSync(repairedDir, { recursive: true });

  const results: MarketResult[] = [];
  for (let i = 0; i < markets.length; i++) {
    const { name, market, exact } = markets[i]!;
    const { uStar, gap } = opts.optimum[i]!;
    // Candidates: the noise-free action, then N - 1 samples whose noise is seeded by the market
    // itself, so a market gets the same contract whatever else is evaluated beside it.
    const own = states.subarray(i * S, (i + 1) * S);
    const repeated = new Float32Array((N - 1) * S);
    for (let c = 0; c < N - 1; c++) repeated.set(own, c * S);
    const samples = N > 1 ? opts.sample(repeated, candidateSeed(exact)) : new Float32Array(0);
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
    writeFileAtomic(
      join(rawDir, `${name}.json`),
      formatContractFile({
        market: exact,
        contract: rawExact,
        meta: { source: `${opts.source} (raw policy output)`, cloudUtility: rawUtility },
      }),
    );
    const delivered = await deliver(market, exact, raw, formulation);
    const single = best === 0 ? delivered : await deliver(market, exact, contracts[0]!, formulation);
    const feasible = isFeasibleExact(exact, delivered.contract);
    const certificate = opts.certify
      ? await checkContract(exact, delivered.contract, { timeoutMs: opts.certifyTimeoutMs })
      : undefined;
    writeDelivered(join(repairedDir, `${name}.json`), exact, delivered, opts.source, certificate);
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

function writeDelivered(
  path: string,
  market: ExactMarket,
  delivered: { contract: ExactContract; utility: number; changedAllocation: boolean },
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
