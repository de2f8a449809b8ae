/**
 * The human-readable end of a run: learning-curve plots from metrics.jsonl and report.md, which
 * summarises the configuration, the evaluation and the timing, and links the plots and files.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '@diffcontract/env';
import type { EvalReport } from '@diffcontract/evaluation';
import { lineChart } from '@diffcontract/report';
import type { TrainConfig } from './config.js';
import { type MetricsLine, RUN_FILES } from './rundir.js';

export interface RunTiming {
  /** training loop, summed over resumed sessions */
  loopSeconds: number;
  /** loop plus final evaluation */
  wallSeconds: number;
  backend: string;
  threads: number;
}

const num = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN);

export function ratioChart(metrics: MetricsLine[]): string {
  return lineChart({
    title: 'Learning curve: mean U/U* on the probe markets (noise-free policy)',
    xLabel: 'environment step',
    yLabel: 'U/U*',
    series: [
      { name: 'after repair', points: metrics.map((m) => [m.step, num(m.probeRatioRepaired)] as const) },
      { name: 'raw policy output', points: metrics.map((m) => [m.step, num(m.probeRatio)] as const) },
    ],
    hLines: [{ y: 1, label: 'optimum' }],
  });
}

export function violationChart(metrics: MetricsLine[]): string {
  return lineChart({
    title: 'Learning curve: mean constraint violation on the probe markets',
    xLabel: 'environment step',
    yLabel: 'violation (utility units)',
    series: [
      {
        name: 'mean violation',
        points: metrics.map((m) => [m.step, num(m.probeViolation)] as const),
        color: '#d62728',
      },
    ],
    hLines: [{ y: 0 }],
  });
}

const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? 'n/a' : `${(100 * x).toFixed(1)}%`);
const fix = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** The closing summary lines (printed by the CLI and repeated in report.md). */
export function summaryLines(evaluation: EvalReport, timing?: Pick<RunTiming, 'wallSeconds'>): string[] {
  const s = evaluation.summary;
  const kept = (changed: number) => pct(1 - changed);
  const lines = [
    `mean U/U* before repair: ${fix(s.meanRatioRaw)}`,
    `mean U/U* after repair:  ${fix(s.meanRatioRepaired)} (min ${fix(s.minRatioRepaired)})` +
      (s.candidates > 1 ? `, best of N = ${s.candidates}` : ''),
  ];
  if (s.candidates > 1) {
    lines.push(`  with N = 1 (noise-free): ${fix(s.meanRatioSingle)} (min ${fix(s.minRatioSingle)})`);
  }
  lines.push(
    `allocation kept:         ${kept(s.changedAllocationShare)}` +
      (s.candidates > 1 ? ` (N = 1: ${kept(s.changedAllocationShareSingle)})` : ''),
    `feasible before repair:  ${pct(s.feasibleShareRaw)} (mean violation ${fix(s.meanViolationRaw, 5)})`,
    `feasible after repair:   ${pct(s.feasibleShareRepaired)}`,
    `certified:               ${s.certifiedShare === null ? 'not checked' : pct(s.certifiedShare)}`,
  );
  if (timing) lines.push(`wall time:               ${timing.wallSeconds.toFixed(1)} s`);
  return lines;
}

/** What "raw" and "repair" mean for the run's formulation (model.md section 6). */
function evaluationText(c: TrainConfig, markets: number): string {
  const proposals =
    c.evaluation.candidates > 1
      ? `the best of ${c.evaluation.candidates} candidate actions per market (the noise-free one and samples, ranked by the priced reward)`
      : "the policy's noise-free action";
  return c.environment.action === 'allocation'
    ? `${markets} markets of the evaluation set; ${proposals}. Raw: the allocation with its float LP-priced rewards; ` +
        'after repair: the same allocation with its exact cheapest rewards (moved to the nearest implementable allocation only when it is not implementable), then a z3 certificate.'
    : `${markets} markets of the evaluation set; ${proposals}, then exact repair, then a z3 certificate.`;
}

export function reportMarkdown(o: {
  runName: string;
  config: TrainConfig;
  metrics: MetricsLine[];
  evaluation: EvalReport;
  timing?: RunTiming;
}): string {
  const { config: c, evaluation: e, metrics, timing } = o;
  const last = metrics[metrics.length - 1];
  const worst = [...e.markets].sort((a, b) => a.repaired.ratio - b.repaired.ratio).slice(0, 5);
  const verdicts = new Map<string, number>();
  for (const m of e.markets) {
    const v = m.certificate?.verdict ?? 'not checked';
    verdicts.set(v, (verdicts.get(v) ?? 0) + 1);
  }
  return [
    `# Training run ${o.runName}`,
    '',
    `Algorithm **${c.algo}** (actor \`${c.actor.name}\`, pruning \`${c.pruning.strategy}\`), seed ${c.seed}, ` +
      `${c.budget.steps} environment steps of ${c.budget.marketsPerStep} markets, ` +
      `${last?.updates ?? 0} SAC updates.` +
      (timing
        ? ` Backend ${timing.backend} (${timing.threads} thread${timing.threads === 1 ? '' : 's'}).`
        : ''),
    '',
    '## Evaluation',
    '',
    evaluationText(c, e.summary.markets),
    '',
    '```',
    ...summaryLines(e, timing),
    '```',
    '',
    '| quantity | before repair | after repair |',
    '| --- | --- | --- |',
    `| mean U/U* | ${fix(e.summary.meanRatioRaw)} | ${fix(e.summary.meanRatioRepaired)} |`,
    `| feasible share | ${pct(e.summary.feasibleShareRaw)} | ${pct(e.summary.feasibleShareRepaired)} |`,
    `| mean violation | ${fix(e.summary.meanViolationRaw, 5)} | 0 |`,
    '',
    `Certificates: ${[...verdicts].map(([v, n]) => `${v} ${n}`).join(', ')}. ` +
      `Repair changed the allocation q in ${pct(e.summary.changedAllocationShare)} of the markets.`,
    '',
    'Lowest U/U* after repair:',
    '',
    '| market | U* | U/U* raw | violation raw | U/U* repaired |',
    '| --- | --- | --- | --- | --- |',
    ...worst.map(
      (m) =>
        `| ${m.name} | ${fix(m.uStar, 3)} | ${fix(m.raw.ratio)} | ${fix(m.raw.violation, 5)} | ${fix(m.repaired.ratio)} |`,
    ),
    '',
    '![per-market U/U*](eval-per-market.svg)',
    '',
    '## Learning curves (probe markets, noise-free policy)',
    '',
    `![U/U*](${RUN_FILES.curveRatio})`,
    '',
    `![violation](${RUN_FILES.curveViolation})`,
    '',
    '## Files',
    '',
    `- \`${RUN_FILES.config}\`: the resolved configuration (rerun with \`--config\`)`,
    `- \`${RUN_FILES.metrics}\`: one line per logging interval`,
    `- \`${RUN_FILES.eval}\`: per-market results and certificate verdicts`,
    `- \`${RUN_FILES.contracts}/\`: repaired contracts with embedded certificates; \`${RUN_FILES.contractsRaw}/\`: raw policy output`,
    `- \`${RUN_FILES.policy}.json\` + \`${RUN_FILES.policy}.bin\`: the final actor; \`${RUN_FILES.checkpoints}/\`: resumable state`,
    '',
  ].join('\n');
}

export function writeReport(runDir: string, o: Parameters<typeof reportMarkdown>[0]): void {
  writeFileAtomic(join(runDir, RUN_FILES.curveRatio), ratioChart(o.metrics));
  writeFileAtomic(join(runDir, RUN_FILES.curveViolation), violationChart(o.metrics));
  writeFileAtomic(join(runDir, RUN_FILES.report), reportMarkdown(o));
}
