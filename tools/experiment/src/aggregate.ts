/**
 * From run directories to the experiment's numbers: per-run summaries (eval.json, metrics.jsonl,
 * timing.json as the training app writes them), seed-level statistics per configuration, learning
 * curves across seeds, and the paired EDMSAC-vs-DMSAC comparison. Reading is separate from the
 * arithmetic so the arithmetic is tested on hand values.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BaselineSummary } from './baseline.js';
import type { Algo, Formulation, RunSpec } from './plan.js';
import { type Interval, mean, median, pairedRelativeBootstrap, std, tInterval } from './stats.js';

/** The eval.json summary fields the experiment uses. */
export interface EvalFigures {
  markets: number;
  meanRatioRaw: number;
  meanRatioRepaired: number;
  /** median over the markets of U/U* after repair (robust to the few markets where repair pays a lot) */
  medianRatioRepaired: number;
  meanViolationRaw: number;
  feasibleShareRaw: number;
  feasibleShareRepaired: number;
  certifiedShare: number | null;
}

export interface CurvePoint {
  updates: number;
  probeRatio: number;
  probeRatioRepaired: number;
  probeFeasible: number;
  updatesPerSec: number;
}

export interface RunResult {
  id: string;
  algo: Algo;
  /** absent in results written before the experiment had formulations (all were `contract` then) */
  formulation?: Formulation;
  seed: number;
  ratio: number;
  denoisingSteps: number;
  eval: EvalFigures;
  /** U* of each evaluated market (N included) */
  uStar: number[];
  curve: CurvePoint[];
  /** median over logging intervals (the warm-up one excluded) of wall seconds per update */
  secondsPerUpdate: number;
  loopSeconds: number;
  wallSeconds: number;
  prunedShare: number;
  /** share of evaluation markets whose repaired contract is worth exactly 0 (no effort asked, nothing paid) */
  zeroShareRepaired: number;
}

/** Wall seconds per update: median of 1/updatesPerSec over intervals that updated, the first dropped. */
export function secondsPerUpdate(curve: readonly CurvePoint[]): number {
  const rates = curve.slice(1).filter((p) => p.updatesPerSec > 0);
  return median(rates.map((p) => 1 / p.updatesPerSec));
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function readRun(runsDir: string, spec: RunSpec): RunResult {
  const dir = join(runsDir, spec.id);
  const ev = readJson<{
    summary: Omit<EvalFigures, 'medianRatioRepaired'>;
    perMarket: { uStar: number; repaired: { ratio: number; utility: number } }[];
  }>(join(dir, 'eval.json'));
  const timing = readJson<{ loopSeconds: number; wallSeconds: number }>(join(dir, 'timing.json'));
  const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CurvePoint & { prunedShare: number });
  const curve = lines.map((l) => ({
    updates: l.updates,
    probeRatio: l.probeRatio,
    probeRatioRepaired: l.probeRatioRepaired,
    probeFeasible: l.probeFeasible,
    updatesPerSec: l.updatesPerSec,
  }));
  return {
    id: spec.id,
    algo: spec.algo,
    formulation: spec.formulation,
    seed: spec.seed,
    ratio: spec.ratio,
    denoisingSteps: spec.denoisingSteps,
    eval: { ...ev.summary, medianRatioRepaired: median(ev.perMarket.map((m) => m.repaired.ratio)) },
    uStar: ev.perMarket.map((m) => m.uStar),
    curve,
    secondsPerUpdate: secondsPerUpdate(curve),
    loopSeconds: timing.loopSeconds,
    wallSeconds: timing.wallSeconds,
    prunedShare: lines.at(-1)?.prunedShare ?? 0,
    zeroShareRepaired: mean(ev.perMarket.map((m) => (m.repaired.utility === 0 ? 1 : 0))),
  };
}

export interface Stat {
  mean: number;
  std: number;
  n: number;
  values: number[];
}

export function stat(values: readonly number[]): Stat {
  return { mean: mean(values), std: std(values), n: values.length, values: [...values] };
}

/** Seed-level statistics of one configuration (a row of the results table). */
export interface ConfigRow {
  label: string;
  seeds: number[];
  ratioRaw: Stat;
  ratioRepaired: Stat;
  /** per seed the median over markets, then mean and sd over seeds */
  medianRepaired: Stat;
  feasibleRaw: Stat;
  feasibleRepaired: Stat;
  certified: Stat | null;
  violationRaw: Stat;
  secondsPerUpdate: Stat | null;
}

type Summarisable = { seed: number } & Pick<
  EvalFigures,
  | 'meanRatioRaw'
  | 'meanRatioRepaired'
  | 'medianRatioRepaired'
  | 'feasibleShareRaw'
  | 'feasibleShareRepaired'
  | 'certifiedShare'
  | 'meanViolationRaw'
>;

export function configRow(
  label: string,
  items: readonly Summarisable[],
  timing?: readonly number[],
): ConfigRow {
  const certs = items.map((i) => i.certifiedShare);
  return {
    label,
    seeds: items.map((i) => i.seed),
    ratioRaw: stat(items.map((i) => i.meanRatioRaw)),
    ratioRepaired: stat(items.map((i) => i.meanRatioRepaired)),
    medianRepaired: stat(items.map((i) => i.medianRatioRepaired)),
    feasibleRaw: stat(items.map((i) => i.feasibleShareRaw)),
    feasibleRepaired: stat(items.map((i) => i.feasibleShareRepaired)),
    certified: certs.some((c) => c === null) ? null : stat(certs as number[]),
    violationRaw: stat(items.map((i) => i.meanViolationRaw)),
    secondsPerUpdate: timing && timing.length > 0 ? stat(timing) : null,
  };
}

export function runRow(label: string, runs: readonly RunResult[]): ConfigRow {
  return configRow(
    label,
    runs.map((r) => ({ seed: r.seed, ...r.eval })),
    runs.map((r) => r.secondsPerUpdate),
  );
}

export function baselineRow(label: string, items: readonly BaselineSummary[]): ConfigRow {
  return configRow(label, items);
}

export interface BandPoint {
  x: number;
  y: number;
  lo: number;
  hi: number;
}

/**
 * Mean and mean +- one standard deviation across runs at each logged update count that every run
 * reached (identical configs log at identical counts).
 */
export function curveBand(
  curves: readonly (readonly CurvePoint[])[],
  key: 'probeRatio' | 'probeRatioRepaired',
): BandPoint[] {
  if (curves.length === 0) return [];
  const byX = new Map<number, number[]>();
  for (const curve of curves)
    for (const p of curve) byX.set(p.updates, [...(byX.get(p.updates) ?? []), p[key]]);
  return [...byX.entries()]
    .filter(([, ys]) => ys.length === curves.length)
    .sort((a, b) => a[0] - b[0])
    .map(([x, ys]) => {
      const m = mean(ys);
      const s = std(ys);
      return { x, y: m, lo: m - s, hi: m + s };
    });
}

/** mean U/U* raw, mean U/U* after repair, median (over markets) U/U* after repair */
export type Metric = 'ratioRaw' | 'ratioRepaired' | 'medianRepaired';

export interface PairedComparison {
  /** which formulation's runs are compared (absent in older results: contract) */
  formulation?: Formulation;
  metric: Metric;
  seeds: number[];
  edmsac: number[];
  dmsac: number[];
  /** EDMSAC - DMSAC in U/U* (t-interval over seed pairs) */
  difference: Interval;
  /** (mean EDMSAC - mean DMSAC) / |mean DMSAC| (paired percentile bootstrap over seeds) */
  relative: Interval;
}

/** Paired by seed: only seeds present for both algorithms count. */
export function pairedComparison(
  edmsac: readonly RunResult[],
  dmsac: readonly RunResult[],
  metric: Metric,
): PairedComparison {
  const pick = (r: RunResult) =>
    metric === 'ratioRaw'
      ? r.eval.meanRatioRaw
      : metric === 'ratioRepaired'
        ? r.eval.meanRatioRepaired
        : r.eval.medianRatioRepaired;
  const bySeed = new Map(dmsac.map((r) => [r.seed, r]));
  const pairs = edmsac.filter((r) => bySeed.has(r.seed)).sort((a, b) => a.seed - b.seed);
  const e = pairs.map(pick);
  const d = pairs.map((r) => pick(bySeed.get(r.seed)!));
  return {
    formulation: edmsac[0]?.formulation,
    metric,
    seeds: pairs.map((r) => r.seed),
    edmsac: e,
    dmsac: d,
    difference: tInterval(e.map((v, i) => v - d[i]!)),
    relative: pairedRelativeBootstrap(e, d),
  };
}

export interface RunComparison {
  /** runs present in both sets */
  compared: number;
  /** runs whose evaluation figures and probe curves are equal to the last bit */
  identical: number;
  /** largest absolute difference of any evaluation figure or probe value */
  maxAbsDifference: number;
  differing: string[];
}

/** Run-by-run comparison of two experiments (the same design run twice). Timing fields are ignored. */
export function compareRuns(a: readonly RunResult[], b: readonly RunResult[]): RunComparison {
  const other = new Map(b.map((r) => [r.id, r]));
  const out: RunComparison = { compared: 0, identical: 0, maxAbsDifference: 0, differing: [] };
  for (const r of a) {
    const s = other.get(r.id);
    if (!s) continue;
    out.compared++;
    const x: number[] = [];
    const y: number[] = [];
    const figures = [
      'meanRatioRaw',
      'meanRatioRepaired',
      'medianRatioRepaired',
      'meanViolationRaw',
      'feasibleShareRaw',
      'feasibleShareRepaired',
    ] as const;
    for (const f of figures) {
      x.push(r.eval[f]);
      y.push(s.eval[f]);
    }
    x.push(r.eval.certifiedShare ?? -1, ...r.curve.flatMap((p) => [p.probeRatio, p.probeRatioRepaired]));
    y.push(s.eval.certifiedShare ?? -1, ...s.curve.flatMap((p) => [p.probeRatio, p.probeRatioRepaired]));
    let same = x.length === y.length;
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = Math.abs(x[i]! - y[i]!);
      if (!(d === 0)) same = false;
      if (Number.isFinite(d)) out.maxAbsDifference = Math.max(out.maxAbsDifference, d);
    }
    if (same) out.identical++;
    else out.differing.push(r.id);
  }
  return out;
}
