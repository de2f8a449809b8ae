#!/usr/bin/env node
// `pnpm bench`: our DMSAC workload against the PyTorch reference, alternating in separate processes
// so neither warms caches for the other, and ratios come from one run on one machine.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { median, relativeSpread } from './stats.js';

export const FIGURES = ['updatesPerSec', 'generatePerSec', 'generateBatchPerSec'] as const;
type Figure = (typeof FIGURES)[number];
type Figures = Record<Figure, number>;

interface Workload {
  hidden: number;
  steps: number;
  batch: number;
  seconds: number;
}

const referenceScript = fileURLToPath(new URL('../reference/dmsac_reference.py', import.meta.url));
const oursScript = fileURLToPath(new URL('./ours.js', import.meta.url));

function workloadArgs(w: Workload): string[] {
  return [
    '--hidden',
    `${w.hidden}`,
    '--steps',
    `${w.steps}`,
    '--batch',
    `${w.batch}`,
    '--seconds',
    `${w.seconds}`,
  ];
}

function lastJsonLine(stdout: string): Record<string, unknown> {
  const line = stdout.trim().split('\n').filter(Boolean).pop();
  if (!line) throw new Error('the workload printed nothing');
  return JSON.parse(line) as Record<string, unknown>;
}

function runChild(cmd: string, args: string[]): Record<string, unknown> {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.trim().slice(-400)}`);
  return lastJsonLine(r.stdout);
}

/** The first Python that imports torch, or null: PyTorch is optional. */
export function findTorchPython(explicit?: string): { python: string; torch: string } | null {
  const candidates = [explicit, process.env.DIFFCONTRACT_PYTHON, 'python3', '/usr/bin/python3', 'python'];
  for (const python of candidates) {
    if (!python) continue;
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python, torch: r.stdout.trim() };
  }
  return null;
}

function pick(result: Record<string, unknown>): Figures {
  const out = {} as Figures;
  for (const f of FIGURES) out[f] = Number(result[f]);
  return out;
}

export interface BenchResult {
  machine: Record<string, unknown>;
  ours: Figures;
  reference: Figures | null;
  ratio: Figures | null;
  spread: { ours: Figures; reference: Figures | null };
}

export function runBench(
  w: Workload,
  reps: number,
  python: string | null,
  log: (s: string) => void,
): BenchResult {
  const ours: Figures[] = [];
  const reference: Figures[] = [];
  let backend = 'unknown';
  for (let rep = 1; rep <= reps; rep++) {
    const o = runChild(process.execPath, [oursScript, ...workloadArgs(w)]);
    backend = String(o.backend ?? backend);
    ours.push(pick(o));
    log(`rep ${rep}/${reps} ours      ${FIGURES.map((f) => `${f}=${ours.at(-1)![f]}`).join(' ')}`);
    if (python) {
      reference.push(pick(runChild(python, [referenceScript, '--threads', '1', ...workloadArgs(w)])));
      log(`rep ${rep}/${reps} reference ${FIGURES.map((f) => `${f}=${reference.at(-1)![f]}`).join(' ')}`);
    }
  }
  const summarise = (xs: Figures[], fn: (v: number[]) => number) => {
    const out = {} as Figures;
    for (const f of FIGURES) out[f] = fn(xs.map((x) => x[f]));
    return out;
  };
  const oursMed = summarise(ours, median);
  const refMed = python ? summarise(reference, median) : null;
  const ratio = refMed
    ? (Object.fromEntries(FIGURES.map((f) => [f, oursMed[f] / refMed[f]])) as Figures)
    : null;
  return {
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      node: process.version,
      backend,
      python,
      ...w,
      reps,
    },
    ours: oursMed,
    reference: refMed,
    ratio,
    spread: {
      ours: summarise(ours, relativeSpread),
      reference: python ? summarise(reference, relativeSpread) : null,
    },
  };
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(2);
}

export function formatTable(r: BenchResult): string {
  const lines = [
    `machine: ${r.machine.cpu} (${r.machine.cores} cores), node ${r.machine.node}, backend ${r.machine.backend}`,
    `workload: hidden ${r.machine.hidden}, T ${r.machine.steps}, batch ${r.machine.batch}, ${r.machine.seconds}s per figure, ${r.machine.reps} reps (medians)`,
    r.reference
      ? `reference: PyTorch via ${r.machine.python}, 1 thread`
      : 'reference: PyTorch not installed (apt-get install -y python3-torch libopenblas0-pthread); our figures alone',
    '',
    '| figure | ours | reference | ours/reference | spread ours / ref |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const f of FIGURES) {
    const ref = r.reference ? fmt(r.reference[f]) : '-';
    const ratio = r.ratio ? r.ratio[f].toFixed(2) : '-';
    const sp = `${(r.spread.ours[f] * 100).toFixed(1)}% / ${r.spread.reference ? `${(r.spread.reference[f] * 100).toFixed(1)}%` : '-'}`;
    lines.push(`| ${f} | ${fmt(r.ours[f])} | ${ref} | ${ratio} | ${sp} |`);
  }
  return lines.join('\n');
}

async function cli(argv: string[]): Promise<number> {
  const program = new Command('bench')
    .description('DMSAC workload: ours vs the PyTorch reference (same run, alternating)')
    .option('--json', 'print one JSON object {ours, reference, ratio}')
    .option('--reps <n>', 'repetitions (medians are reported)', '3')
    .option('--seconds <s>', 'seconds per figure and repetition', '4')
    .option('--hidden <n>', 'hidden width', '256')
    .option('--steps <n>', 'denoising steps T', '5')
    .option('--batch <n>', 'batch size', '256')
    .option('--python <path>', 'Python interpreter with torch');
  program.parse(argv, { from: 'user' });
  const o = program.opts();
  const w: Workload = { hidden: +o.hidden, steps: +o.steps, batch: +o.batch, seconds: +o.seconds };
  const reps = +o.reps;
  for (const [k, v] of Object.entries({ ...w, reps })) {
    if (!Number.isFinite(v) || v <= 0) {
      process.stderr.write(`bench: --${k}: must be a positive number (${v})\n`);
      return 2;
    }
  }
  const torch = findTorchPython(o.python);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  if (!torch) log('PyTorch not found: printing our figures alone');
  const result = runBench(w, reps, torch?.python ?? null, log);
  if (torch) result.machine.torch = torch.torch;
  if (o.json)
    process.stdout.write(
      `${JSON.stringify({ ours: result.ours, reference: result.reference, ratio: result.ratio, machine: result.machine })}\n`,
    );
  else process.stdout.write(`${formatTable(result)}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(4);
    },
  );
}
