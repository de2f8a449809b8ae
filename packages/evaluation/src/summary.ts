/** Per-market results of an evaluation and their summary (the fields of a run's eval.json). */

export interface MarketResult {
  name: string;
  /** U* (N included) of the exact optimum, and its proven relative gap */
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

export const mean = (xs: readonly number[]) =>
  xs.length === 0 ? Number.NaN : xs.reduce((s, x) => s + x, 0) / xs.length;
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
