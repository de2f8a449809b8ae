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
  cloudUtility,
  decodeAction,
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
import { repairContract } from '@diffcontract/optimum';
import type { OptimumEntry } from './optimum-cache.js';

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
  /** the policy: `count * stateDim` states in, `count * actionDim` actions in [-1, 1] out */
  act: (states: Float32Array) => Float32Array;
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

export function summarise(results: MarketResult[]): EvalSummary {
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
  };
}

export async function evaluatePolicy(opts: EvaluateOptions): Promise<EvalReport> {
  const { markets } = opts;
  if (markets.length === 0) throw new Error('evaluation: no markets');
  const K = markets[0]!.market.theta.length;
  const S = stateDim(K);
  const states = new Float32Array(markets.length * S);
  markets.forEach((m, i) => {
    encodeState(m.market, states, i * S);
  });
  const actions = opts.act(states);
  const A = actions.length / markets.length;
  const rawDir = join(opts.outDir, 'contracts-raw');
  const repairedDir = join(opts.outDir, 'contracts');
  mkdirSync(rawDir, { recursive: true });
  mkdirSync(repairedDir, { recursive: true });

  const results: MarketResult[] = [];
  for (let i = 0; i < markets.length; i++) {
    const { name, market, exact } = markets[i]!;
    const { uStar, gap } = opts.optimum[i]!;
    const raw = decodeAction(market, actions.subarray(i * A, (i + 1) * A));
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
    const repair = await repairContract(exact, rawExact);
    const repairedFloat = toFloatContract(repair.contract);
    const repairedUtility = cloudUtility(market, repairedFloat);
    const feasible = isFeasibleExact(exact, repair.contract);
    const certificate = opts.certify
      ? await checkContract(exact, repair.contract, { timeoutMs: opts.certifyTimeoutMs })
      : undefined;
    writeFileAtomic(
      join(repairedDir, `${name}.json`),
      formatContractFile({
        market: exact,
        contract: repair.contract,
        meta: {
          source: `${opts.source} (repaired)`,
          cloudUtility: repairedUtility,
          changedAllocation: repair.changedAllocation,
        },
        ...(certificate ? { certificate: certificate as unknown as Record<string, unknown> } : {}),
      }),
    );
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
        utility: repairedUtility,
        ratio: repairedUtility / uStar,
        feasible,
        changedAllocation: repair.changedAllocation,
      },
      certificate: certificate ? { verdict: certificate.verdict, timeMs: certificate.timeMs } : null,
    });
    opts.onMarket?.(i + 1, markets.length);
  }
  return { summary: summarise(results), markets: results };
}
