/**
 * Everything after the training runs: reads them, evaluates the random contract and the optimum
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
  curveBand,
  pairedComparison,
  type RunComparison,
  type RunResult,
  readRun,
  runRow,
  stat,
} from './aggregate.js';
import { type BaselineSummary, evaluateRandomContract, optimumOfEvaluationSet } from './baseline.js';
import { type BandSeries, renderBandChart } from './chart.js';
import type { CodeVersion } from './code.js';
import { type Design, type RunSpec, sweepPointRuns, updatesPerRun } from './plan.js';
import { renderReadme, renderTable } from './report.js';
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

const COLORS = { edmsac: '#d62728', dmsac: '#1f77b4', sac: '#2ca02c', random: '#7f7f7f' } as const;
export const LABELS = { edmsac: 'EDMSAC', dmsac: 'DMSAC', sac: 'Gaussian SAC' } as const;

export interface SweepPoint {
  value: number;
  runs: string[];
  row: ConfigRow;
}

export interface Results {
  version: 1;
  mode: Design['mode'];
  design: Design & { updatesPerRun: number };
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
  table: ConfigRow[];
  comparison: ReturnType<typeof pairedComparison>[];
  sweeps: { rho: SweepPoint[]; steps: SweepPoint[] };
  speed: SpeedResult[];
  runs: RunResult[];
  random: BaselineSummary[];
  reproducibility:
    | (RunComparison & { against: string; againstDate: string; againstCommit: string | null })
    | null;
}

function write(path: string, text: string): void {
  writeFileAtomic(path, text);
}

/**
 * One algorithm's learning curve, raw or after repair, each on its own axis: repaired values reach
 * thousands below zero on a few markets and would flatten the raw curve on a shared one.
 */
function curveChart(title: string, runs: readonly RunResult[], color: string, repaired: boolean): string {
  const curves = runs.map((r) => r.curve);
  const key = repaired ? 'probeRatioRepaired' : 'probeRatio';
  const series: BandSeries[] = [
    { name: repaired ? 'after repair' : 'raw', color, dashed: repaired, points: curveBand(curves, key) },
  ];
  return renderBandChart({
    title: `${title}: probe U/U* ${repaired ? 'after repair' : 'raw'} (mean ± 1 sd, ${runs.length} seeds)`,
    xLabel: 'SAC updates',
    yLabel: repaired ? 'U/U* after repair' : 'U/U* raw',
    series,
    hLines: [{ y: 1, label: 'optimum' }],
  });
}

/** A sweep: raw mean U/U* and median (over markets) U/U* after repair, mean ± 1 sd over seeds. */
function sweepChart(title: string, xLabel: string, points: readonly SweepPoint[]): string {
  const band = (key: 'ratioRaw' | 'medianRepaired') =>
    points.map((p) => ({
      x: p.value,
      y: p.row[key].mean,
      lo: p.row[key].mean - p.row[key].std,
      hi: p.row[key].mean + p.row[key].std,
    }));
  return renderBandChart({
    title,
    xLabel,
    yLabel: 'final U/U* (evaluation markets)',
    markers: true,
    series: [
      { name: 'raw (mean)', color: COLORS.edmsac, points: band('ratioRaw') },
      { name: 'repaired (median)', color: '#555', dashed: true, points: band('medianRepaired') },
    ],
    hLines: [{ y: 1, label: 'optimum' }],
  });
}

export async function analyse(opts: AnalyseOptions): Promise<Results> {
  const t0 = performance.now();
  const { design, runs, runsDir, out } = opts;
  const results = runs.map((spec) => readRun(runsDir, spec));
  const byId = new Map(results.map((r) => [r.id, r]));
  const main = (algo: RunSpec['algo']) =>
    results.filter((r) => runs.find((s) => s.id === r.id)?.group === 'main' && r.algo === algo);

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
    random.push(await evaluateRandomContract(seed, optimum, { certify: design.certify }));
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
    baselineRow('random contract', random),
    optimumRow,
  ];
  const comparison = [
    pairedComparison(main('edmsac'), main('dmsac'), 'ratioRepaired'),
    pairedComparison(main('edmsac'), main('dmsac'), 'medianRepaired'),
    pairedComparison(main('edmsac'), main('dmsac'), 'ratioRaw'),
  ];
  const sweep = (kind: 'rho' | 'steps', values: number[]): SweepPoint[] =>
    values.map((value) => {
      const members = sweepPointRuns(runs, design, kind, value).map((s) => byId.get(s.id)!);
      const label = kind === 'rho' ? `rho_p = ${value}` : `T = ${value}`;
      return { value, runs: members.map((r) => r.id), row: runRow(label, members) };
    });
  const sweeps = { rho: sweep('rho', design.rhoValues), steps: sweep('steps', design.stepValues) };

  // Dense vs compacted generation with the rho_p = speedRatio EDMSAC policies.
  const speed = sweepPointRuns(runs, design, 'rho', design.speedRatio).map((s) =>
    timeDenseVsCompacted(join(runsDir, s.id, 'policy'), design.speedContracts, design.speedRepetitions),
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
    design: { ...design, updatesPerRun: updatesPerRun(design) },
    generated: {
      date: new Date().toISOString(),
      machine: `${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} at the end`,
      jobs: opts.jobs,
      queue: opts.queue,
      trainingSeconds: opts.resumed ? trainingSpan : opts.trainingSeconds,
      trainingSpanSeconds: trainingSpan,
      analysisSeconds: (performance.now() - t0) / 1000,
      resumed: opts.resumed,
      code: existsSync(join(runsDir, 'code.json'))
        ? (JSON.parse(readFileSync(join(runsDir, 'code.json'), 'utf8')) as CodeVersion)
        : null,
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
    comparison,
    sweeps,
    speed,
    runs: results,
    random,
    reproducibility: null,
  };
  if (opts.compare) {
    const earlier = JSON.parse(readFileSync(opts.compare, 'utf8')) as Results;
    res.reproducibility = {
      ...compareRuns(results, earlier.runs),
      against: opts.compare,
      againstDate: earlier.generated.date,
      againstCommit: earlier.generated.code?.commit ?? null,
    };
  }

  write(join(out, 'results.json'), `${JSON.stringify(res, null, 1)}\n`);
  write(join(out, 'table.md'), renderTable(res));
  for (const algo of ['edmsac', 'dmsac', 'sac'] as const) {
    write(join(out, `curve-${algo}.svg`), curveChart(LABELS[algo], main(algo), COLORS[algo], false));
    write(join(out, `curve-${algo}-repaired.svg`), curveChart(LABELS[algo], main(algo), COLORS[algo], true));
  }
  write(
    join(out, 'curve-comparison.svg'),
    renderBandChart({
      title: 'Probe U/U* after repair (mean ± 1 sd over seeds)',
      xLabel: 'SAC updates',
      yLabel: 'U/U* after repair',
      series: (['edmsac', 'dmsac', 'sac'] as const).map((a) => ({
        name: LABELS[a],
        color: COLORS[a],
        points: curveBand(
          main(a).map((r) => r.curve),
          'probeRatioRepaired',
        ),
      })),
      hLines: [{ y: 1, label: 'optimum' }],
    }),
  );
  write(
    join(out, 'sweep-rho.svg'),
    sweepChart('EDMSAC: pruning rate rho_p (mean ± 1 sd)', 'rho_p', sweeps.rho),
  );
  write(
    join(out, 'sweep-steps.svg'),
    sweepChart('EDMSAC: denoising steps T (mean ± 1 sd)', 'T', sweeps.steps),
  );
  res.generated.analysisSeconds = (performance.now() - t0) / 1000;
  write(join(out, 'results.json'), `${JSON.stringify(res, null, 1)}\n`);
  write(join(out, 'README.md'), renderReadme(res));
  return res;
}
