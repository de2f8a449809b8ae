/**
 * Everything after the training runs: reads them, evaluates the random policies and the optimum
 * in-process, times dense vs compacted contract generation, and writes results.json, the tables, the
 * SVG figures and README.md into the results directory (each file atomically).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { shutdownZ3 } from '@diffcontract/contract-checker';
import { writeFileAtomic } from '@diffcontract/env';
import {
  baselineRow,
  type ConfigRow,
  compareRuns,
  pairedComparison,
  type RunComparison,
  type RunResult,
  readRun,
  runRow,
  stat,
} from './aggregate.js';
import { type BaselineSummary, evaluateRandomPolicy, optimumOfEvaluationSet } from './baseline.js';
import type { CodeVersion } from './code.js';
import { LABELS, writeFigures } from './figures.js';
import { type Design, type Formulation, type RunSpec, sweepPointRuns, updatesPerRun } from './plan.js';
import { type SpeedResult, timeDenseVsCompacted } from './speed.js';

export interface AnalyseOptions {
  design: Design;
  runs: RunSpec[];
  runsDir: string;
  out: string;
  jobs: number;
  /** `local`, or the Redis URL (without password) whose workers trained the runs */
  queue: string;
  startedAt: Date;
  trainingSeconds: number;
  resumed: boolean;
  /** results.json of an earlier run of the same design to compare run by run */
  compare?: string;
}

export const RANDOM_LABELS: Record<Formulation, string> = {
  allocation: 'random allocation',
  contract: 'random contract',
};

export interface SweepPoint {
  value: number;
  runs: string[];
  row: ConfigRow;
}

export interface Results {
  version: 1;
  mode: Design['mode'];
  /** updatesPerRun: of the allocation formulation; contractUpdatesPerRun: of the contract one */
  design: Design & { updatesPerRun: number; contractUpdatesPerRun: number };
  generated: {
    date: string;
    machine: string;
    jobs: number;
    /** `local`, or the Redis URL of the BullMQ queue (absent in results made before the queue option) */
    queue?: string;
    trainingSeconds: number;
    /** first run start to last run finish, from the run files */
    trainingSpanSeconds: number;
    analysisSeconds: number;
    resumed: boolean;
    /** commit and uncommitted source changes when the runs were trained (runs/code.json) */
    code: CodeVersion | null;
  };
  optimum: {
    markets: number;
    meanUStar: number;
    minUStar: number;
    maxUStar: number;
    maxGap: number;
    maxRunDisagreement: number;
  };
  /** allocation formulation: the learners, the random allocation, the optimum */
  table: ConfigRow[];
  /** contract formulation: EDMSAC, DMSAC, the random contract */
  contractTable: ConfigRow[];
  /** EDMSAC vs DMSAC, allocation formulation first, then the contract formulation's */
  comparison: ReturnType<typeof pairedComparison>[];
  sweeps: { rho: SweepPoint[]; steps: SweepPoint[] };
  speed: (SpeedResult & { ratio: number })[];
  runs: RunResult[];
  /** random allocation, one entry per comparison seed */
  random: BaselineSummary[];
  /** random contract, one entry per contract-formulation seed */
  randomContract: BaselineSummary[];
  reproducibility:
    | (RunComparison & { against: string; againstDate: string; againstCommit: string | null })
    | null;
}

/** Run-by-run comparison with the runs of an earlier results.json (a full run's or a subset's). */
function compareWith(file: string, results: readonly RunResult[]): NonNullable<Results['reproducibility']> {
  const earlier = JSON.parse(readFileSync(file, 'utf8')) as Pick<Results, 'runs' | 'generated'>;
  return {
    ...compareRuns(results, earlier.runs),
    against: file,
    againstDate: earlier.generated.date,
    againstCommit: earlier.generated.code?.commit ?? null,
  };
}

/** The code that trained the runs (runs/code.json), when recorded. */
function recordedCode(runsDir: string): CodeVersion | null {
  const file = join(runsDir, 'code.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CodeVersion) : null;
}

export async function analyse(opts: AnalyseOptions): Promise<Results> {
  const t0 = performance.now();
  const { design, runs, runsDir, out } = opts;
  const results = runs.map((spec) => readRun(runsDir, spec));
  const byId = new Map(results.map((r) => [r.id, r]));
  const groupOf = new Map(runs.map((s) => [s.id, s.group]));
  const main = (algo: RunSpec['algo']) =>
    results.filter((r) => groupOf.get(r.id) === 'main' && r.algo === algo);
  const contract = (algo: RunSpec['algo']) =>
    results.filter((r) => groupOf.get(r.id) === 'contract' && r.algo === algo);

  // Baselines on the same evaluation markets the runs were evaluated on.
  const optimum = await optimumOfEvaluationSet(design.evalMarkets);
  let maxRunDisagreement = 0;
  for (const r of results) {
    r.uStar.forEach((u, i) => {
      maxRunDisagreement = Math.max(
        maxRunDisagreement,
        Math.abs(u - optimum[i]!.uStar) / Math.abs(optimum[i]!.uStar),
      );
    });
  }
  const random: BaselineSummary[] = [];
  for (const seed of design.seeds)
    random.push(await evaluateRandomPolicy('allocation', seed, optimum, { certify: design.certify }));
  const randomContract: BaselineSummary[] = [];
  for (const seed of design.contractSeeds)
    randomContract.push(await evaluateRandomPolicy('contract', seed, optimum, { certify: design.certify }));
  await shutdownZ3();

  const uStars = optimum.map((o) => o.uStar);
  const optimumRow: ConfigRow = {
    label: 'exact optimum',
    seeds: [],
    ratioRaw: stat([1]),
    ratioRepaired: stat([1]),
    medianRepaired: stat([1]),
    feasibleRaw: stat([1]),
    feasibleRepaired: stat([1]),
    certified: null,
    violationRaw: stat([0]),
    secondsPerUpdate: null,
  };
  const table: ConfigRow[] = [
    runRow(LABELS.edmsac, main('edmsac')),
    runRow(LABELS.dmsac, main('dmsac')),
    runRow(LABELS.sac, main('sac')),
    baselineRow(RANDOM_LABELS.allocation, random),
    optimumRow,
  ];
  const contractTable: ConfigRow[] = [
    runRow(LABELS.edmsac, contract('edmsac')),
    runRow(LABELS.dmsac, contract('dmsac')),
    baselineRow(RANDOM_LABELS.contract, randomContract),
  ];
  const comparison = [
    pairedComparison(main('edmsac'), main('dmsac'), 'ratioRepaired'),
    pairedComparison(main('edmsac'), main('dmsac'), 'medianRepaired'),
    pairedComparison(main('edmsac'), main('dmsac'), 'ratioRaw'),
    ...(contract('edmsac').length > 0
      ? [pairedComparison(contract('edmsac'), contract('dmsac'), 'ratioRepaired')]
      : []),
  ];
  const sweep = (kind: 'rho' | 'steps', values: number[]): SweepPoint[] =>
    values.map((value) => {
      const members = sweepPointRuns(runs, design, kind, value).map((s) => byId.get(s.id)!);
      const label = kind === 'rho' ? `rho_p = ${value}` : `T = ${value}`;
      return { value, runs: members.map((r) => r.id), row: runRow(label, members) };
    });
  const sweeps = { rho: sweep('rho', design.rhoValues), steps: sweep('steps', design.stepValues) };

  // Dense vs compacted generation with the EDMSAC policies of each rho_p in speedRatios.
  const speed = design.speedRatios.flatMap((ratio) =>
    sweepPointRuns(runs, design, 'rho', ratio).map((s) => ({
      ratio,
      ...timeDenseVsCompacted(join(runsDir, s.id, 'policy'), design.speedContracts, design.speedRepetitions),
    })),
  );

  // Span of the training runs from their files (first config written to last eval.json), so a
  // resumed invocation still reports how long the runs took.
  const starts = runs.map((s) => statSync(join(runsDir, `${s.id}.config.json`)).mtimeMs);
  const ends = runs.map((s) => statSync(join(runsDir, s.id, 'eval.json')).mtimeMs);
  const trainingSpan = (Math.max(...ends) - Math.min(...starts)) / 1000;
  const cpu = cpus();
  const res: Results = {
    version: 1,
    mode: design.mode,
    design: {
      ...design,
      updatesPerRun: updatesPerRun(design),
      contractUpdatesPerRun: updatesPerRun(design, 'contract'),
    },
    generated: {
      date: new Date().toISOString(),
      machine: `${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} at the end`,
      jobs: opts.jobs,
      queue: opts.queue,
      trainingSeconds: opts.resumed ? trainingSpan : opts.trainingSeconds,
      trainingSpanSeconds: trainingSpan,
      analysisSeconds: (performance.now() - t0) / 1000,
      resumed: opts.resumed,
      code: recordedCode(runsDir),
    },
    optimum: {
      markets: uStars.length,
      meanUStar: uStars.reduce((s, u) => s + u, 0) / uStars.length,
      minUStar: Math.min(...uStars),
      maxUStar: Math.max(...uStars),
      maxGap: Math.max(...optimum.map((o) => o.gap)),
      maxRunDisagreement,
    },
    table,
    contractTable,
    comparison,
    sweeps,
    speed,
    runs: results,
    random,
    randomContract,
    reproducibility: null,
  };
  if (opts.compare) res.reproducibility = compareWith(opts.compare, results);
  res.generated.analysisSeconds = (performance.now() - t0) / 1000;
  writeFileAtomic(join(out, 'results.json'), `${JSON.stringify(res, null, 1)}\n`);
  writeFigures(res, runs, out);
  return res;
}

/** results.json of a subset of the design: the runs' figures and where they come from, no analysis. */
export interface SubsetResults {
  version: 1;
  mode: Design['mode'];
  subset: string;
  generated: Pick<Results['generated'], 'date' | 'machine' | 'jobs' | 'queue' | 'code'>;
  runs: RunResult[];
  reproducibility: Results['reproducibility'];
}

/**
 * Writes the subset's results.json (what `--compare` reads) and, given an earlier results.json,
 * compares run by run; returns the comparison's line (empty without one).
 */
export function writeSubsetResults(opts: {
  mode: Design['mode'];
  subset: string;
  runs: RunSpec[];
  runsDir: string;
  out: string;
  jobs: number;
  queue: string;
  compare?: string;
}): string {
  const results = opts.runs.map((spec) => readRun(opts.runsDir, spec));
  const cpu = cpus();
  const res: SubsetResults = {
    version: 1,
    mode: opts.mode,
    subset: opts.subset,
    generated: {
      date: new Date().toISOString(),
      machine: `${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
      jobs: opts.jobs,
      queue: opts.queue,
      code: recordedCode(opts.runsDir),
    },
    runs: results,
    reproducibility: null,
  };
  let line = '';
  if (opts.compare) {
    const c = compareWith(opts.compare, results);
    res.reproducibility = c;
    line = `compared with ${opts.compare}: ${c.identical} of ${c.compared} runs identical to the last bit${c.differing.length > 0 ? `; differing: ${c.differing.join(' ')}` : ''}\n`;
  }
  writeFileAtomic(join(opts.out, 'results.json'), `${JSON.stringify(res, null, 1)}\n`);
  return line;
}
