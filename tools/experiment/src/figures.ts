/**
 * What people look at, drawn from a results.json alone: table.md, the SVG figures (learning curves
 * across seeds, sweeps) and README.md. The analysis calls it after measuring; `render` calls it to
 * redraw committed results after a change of wording or drawing, with no training and no timing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@diffcontract/env';
import { type ChartOptions, lineChart, type Series } from '@diffcontract/report';
import { type BandPoint, curveBand, type RunResult } from './aggregate.js';
import type { Results, SweepPoint } from './analyse.js';
import { planRuns, type RunSpec } from './plan.js';
import { InputError } from './queue-target.js';
import { renderReadme, renderTable } from './report.js';

const COLORS = { edmsac: '#d62728', dmsac: '#1f77b4', sac: '#2ca02c' } as const;
export const LABELS = { edmsac: 'EDMSAC', dmsac: 'DMSAC', sac: 'Gaussian SAC' } as const;

/** Size of the experiment's figures: room for a legend column right of the plot. */
const FIGURE: Pick<ChartOptions, 'width' | 'height' | 'legend'> = {
  width: 720,
  height: 380,
  legend: 'right',
};
const OPTIMUM = [{ y: 1, label: 'optimum' }];

function bandSeries(name: string, color: string, points: readonly BandPoint[], dashed = false): Series {
  return {
    name,
    color,
    dashed,
    points: points.map((p) => [p.x, p.y] as const),
    band: points.map((p) => [p.lo, p.hi] as const),
  };
}

/**
 * One algorithm's learning curve, raw (the float contract) or delivered (made exactly feasible: priced
 * or repaired), each on its own axis: delivered values of the contract formulation reach thousands
 * below zero on a few markets and would flatten the raw curve on a shared one.
 */
function curveChart(title: string, runs: readonly RunResult[], color: string, delivered: boolean): string {
  const points = curveBand(
    runs.map((r) => r.curve),
    delivered ? 'probeRatioRepaired' : 'probeRatio',
  );
  return lineChart({
    ...FIGURE,
    title: `${title}: probe U/U* ${delivered ? 'delivered' : 'raw'} (mean ± 1 sd, ${runs.length} seeds)`,
    xLabel: 'SAC updates',
    yLabel: delivered ? 'U/U* delivered' : 'U/U* raw',
    series: [bandSeries(delivered ? 'delivered' : 'raw', color, points, delivered)],
    hLines: OPTIMUM,
  });
}

/** Several algorithms' delivered curves on one axis. */
function comparisonChart(title: string, byAlgo: [RunSpec['algo'], readonly RunResult[]][]): string {
  return lineChart({
    ...FIGURE,
    title,
    xLabel: 'SAC updates',
    yLabel: 'U/U* delivered',
    series: byAlgo.map(([algo, runs]) =>
      bandSeries(
        LABELS[algo],
        COLORS[algo],
        curveBand(
          runs.map((r) => r.curve),
          'probeRatioRepaired',
        ),
      ),
    ),
    hLines: OPTIMUM,
  });
}

/** A sweep: mean U/U* raw and delivered, mean ± 1 sd over seeds. */
function sweepChart(title: string, xLabel: string, points: readonly SweepPoint[]): string {
  const band = (key: 'ratioRaw' | 'ratioRepaired') =>
    points.map((p) => ({
      x: p.value,
      y: p.row[key].mean,
      lo: p.row[key].mean - p.row[key].std,
      hi: p.row[key].mean + p.row[key].std,
    }));
  return lineChart({
    ...FIGURE,
    title,
    xLabel,
    yLabel: 'final U/U* (evaluation markets)',
    markers: true,
    series: [
      bandSeries('raw', COLORS.edmsac, band('ratioRaw')),
      bandSeries('delivered', '#555', band('ratioRepaired'), true),
    ],
    hLines: OPTIMUM,
  });
}

/** table.md, the figures and README.md of `res` into `out` (each file atomically). */
export function writeFigures(res: Results, runs: readonly RunSpec[], out: string): void {
  const groupOf = new Map(runs.map((s) => [s.id, s.group]));
  const pick = (group: RunSpec['group']) => (algo: RunSpec['algo']) =>
    res.runs.filter((r) => groupOf.get(r.id) === group && r.algo === algo);
  const main = pick('main');
  const contract = pick('contract');
  const write = (name: string, text: string) => writeFileAtomic(join(out, name), text);
  write('table.md', renderTable(res));
  for (const algo of ['edmsac', 'dmsac', 'sac'] as const) {
    write(`curve-${algo}.svg`, curveChart(LABELS[algo], main(algo), COLORS[algo], false));
    write(`curve-${algo}-repaired.svg`, curveChart(LABELS[algo], main(algo), COLORS[algo], true));
  }
  write(
    'curve-comparison.svg',
    comparisonChart(
      'Allocation formulation: probe U/U* delivered (mean ± 1 sd over seeds)',
      (['edmsac', 'dmsac', 'sac'] as const).map((a) => [a, main(a)]),
    ),
  );
  if (contract('edmsac').length > 0)
    write(
      'curve-contract.svg',
      comparisonChart(
        'Contract formulation: probe U/U* after repair (mean ± 1 sd over seeds)',
        (['edmsac', 'dmsac'] as const).map((a) => [a, contract(a)]),
      ),
    );
  write('sweep-rho.svg', sweepChart('EDMSAC: pruning rate rho_p (mean ± 1 sd)', 'rho_p', res.sweeps.rho));
  write('sweep-steps.svg', sweepChart('EDMSAC: denoising steps T (mean ± 1 sd)', 'T', res.sweeps.steps));
  write('README.md', renderReadme(res));
}

/** JSON writes NaN (an interval of one seed pair, the sd of one value) as null: read it back as NaN. */
const NAN_FIELDS = new Set(['mean', 'std', 'lo', 'hi']);
function nullToNaN(key: string, value: unknown): unknown {
  return value === null && NAN_FIELDS.has(key) ? Number.NaN : value;
}

/**
 * Redraws table.md, the figures and README.md of the results.json in `dir` (what `render` does):
 * the runs' groups come from the design recorded in the file. Throws InputError for a missing or
 * unreadable file, or one whose runs are not its design's.
 */
export function renderResultsDir(dir: string): void {
  const file = join(dir, 'results.json');
  if (!existsSync(file)) throw new InputError(`render: no results.json in ${dir}`);
  let res: Results;
  try {
    res = JSON.parse(readFileSync(file, 'utf8'), nullToNaN) as Results;
  } catch (e) {
    throw new InputError(`render: ${file} is not JSON (${(e as Error).message})`);
  }
  if (res === null || typeof res !== 'object' || !Array.isArray(res.runs) || typeof res.design !== 'object')
    throw new InputError(
      `render: ${file} is not a full experiment's results.json (a --subset one has no figures)`,
    );
  const runs = planRuns(res.design);
  const planned = new Set(runs.map((r) => r.id));
  const stray = res.runs.find((r) => !planned.has(r.id));
  if (stray) throw new InputError(`render: run ${stray.id} of ${file} is not in its recorded design`);
  writeFigures(res, runs, dir);
}
