#!/usr/bin/env node
// `pnpm bench`: our DMSAC workload against the PyTorch reference, alternating in separate processes
// so neither warms caches for the other, and ratios come from one run on one machine.
//   pnpm -s bench [--json] [--reps 5] [--seconds 4]     the three figures, medians and ratios
//   pnpm -s bench --profile                             where one update's time goes (ours)
//   pnpm -s bench --scaling                             update time vs hidden width and batch
//   ... --write-docs [docs/perf.md]                     refresh that file's generated sections
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { writeSections } from './docs.js';
import { formatPricing, pricingBench } from './pricing.js';
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
const profileScript = fileURLToPath(new URL('./profile.js', import.meta.url));
const defaultDocs = fileURLToPath(new URL('../../../docs/perf.md', import.meta.url));

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

function runChild(cmd: string, args: string[], env?: Record<string, string>): Record<string, unknown> {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: env ? { ...process.env, ...env } : process.env,
  });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.trim().slice(-400)}`);
  return lastJsonLine(r.stdout);
}

/**
 * Environment of the reference's process. The reference calls torch.set_num_threads(1), but Debian's
 * torch with OpenBLAS (pthreads) still starts a second BLAS thread: measured here, the process used
 * 1.6 CPUs on 2 cores, and it collapses when other work takes the second core. The issue compares
 * one thread against one thread, so the BLAS and OpenMP pools are pinned to one thread as well.
 */
export const REFERENCE_ENV = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

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

const loadAverage = () => os.loadavg().map((x) => +x.toFixed(2));

function machineInfo(): Record<string, unknown> {
  return { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version };
}

export interface BenchResult {
  machine: Record<string, unknown>;
  ours: Figures;
  reference: Figures | null;
  ratio: Figures | null;
  /** relative noise: half the interquartile range over the median (ratio: of the per-rep ratios) */
  spread: { ours: Figures; reference: Figures | null; ratio: Figures | null };
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
  const loadBefore = loadAverage();
  const started = new Date();
  for (let rep = 1; rep <= reps; rep++) {
    const o = runChild(process.execPath, [oursScript, ...workloadArgs(w)]);
    backend = String(o.backend ?? backend);
    ours.push(pick(o));
    log(`rep ${rep}/${reps} ours      ${FIGURES.map((f) => `${f}=${ours.at(-1)![f]}`).join(' ')}`);
    if (python) {
      reference.push(
        pick(runChild(python, [referenceScript, '--threads', '1', ...workloadArgs(w)], REFERENCE_ENV)),
      );
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
  // Reps alternate, so each rep's ratio compares runs under the same load.
  const perRepRatios = python
    ? ours.map((o, i) => Object.fromEntries(FIGURES.map((f) => [f, o[f] / reference[i]![f]])) as Figures)
    : null;
  return {
    machine: {
      ...machineInfo(),
      backend,
      python,
      ...w,
      reps,
      date: started.toISOString(),
      loadAverage: { before: loadBefore, after: loadAverage() },
    },
    ours: oursMed,
    reference: refMed,
    ratio,
    spread: {
      ours: summarise(ours, relativeSpread),
      reference: python ? summarise(reference, relativeSpread) : null,
      ratio: perRepRatios ? summarise(perRepRatios, relativeSpread) : null,
    },
  };
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(2);
}
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatTable(r: BenchResult): string {
  const m = r.machine as Record<string, unknown> & { loadAverage?: { before: number[]; after: number[] } };
  const lines = [
    `date: ${m.date ?? '-'}; command: \`pnpm -s bench --reps ${m.reps} --seconds ${m.seconds}\``,
    `machine: ${m.cpu} (${m.cores} cores), node ${m.node}, backend ${m.backend}` +
      (m.torch ? `, torch ${m.torch}` : ''),
    `load average (1, 5, 15 min) before ${m.loadAverage?.before.join(', ') ?? '-'}, after ${m.loadAverage?.after.join(', ') ?? '-'}`,
    `workload: hidden ${m.hidden}, T ${m.steps}, batch ${m.batch}, ${m.seconds}s per figure, ${m.reps} reps alternating (medians)`,
    r.reference
      ? `reference: PyTorch via ${m.python}, 1 thread (torch.set_num_threads(1) and OPENBLAS/OMP/MKL_NUM_THREADS=1)`
      : 'reference: PyTorch not installed (apt-get install -y python3-torch libopenblas0-pthread); our figures alone',
    '',
    '| figure | ours | reference | ours/reference | spread ours / reference / ratio |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const f of FIGURES) {
    const ref = r.reference ? fmt(r.reference[f]) : '-';
    const ratio = r.ratio ? r.ratio[f].toFixed(2) : '-';
    const sp = [
      pct(r.spread.ours[f]),
      r.spread.reference ? pct(r.spread.reference[f]) : '-',
      r.spread.ratio ? pct(r.spread.ratio[f]) : '-',
    ].join(' / ');
    lines.push(`| ${f} | ${fmt(r.ours[f])} | ${ref} | ${ratio} | ${sp} |`);
  }
  lines.push(
    '',
    'Spread: half the interquartile range over the median, of each side and of the per-rep ratios.',
  );
  return lines.join('\n');
}

// ---- profile -----------------------------------------------------------------------------------

interface ProfileResult {
  wallMsPerUpdate: number;
  cpuMsPerUpdate: number;
  profiledMsPerUpdate: number;
  kernelCallsPerUpdate: number;
  categories: Record<string, number>;
  kernels: { name: string; msPerUpdate: number; callsPerUpdate: number }[];
}

export function formatProfile(
  reference: ProfileResult,
  fast: ProfileResult,
  meta: Record<string, unknown>,
): string {
  const names = [...new Set([...Object.keys(reference.categories), ...Object.keys(fast.categories)])].sort(
    (a, b) => (reference.categories[b] ?? 0) - (reference.categories[a] ?? 0),
  );
  const ms = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(1));
  const share = (x: number | undefined, total: number) =>
    x === undefined ? '' : ` (${Math.round((100 * x) / total)}%)`;
  const lines = [
    `date: ${meta.date}; command: \`pnpm -s bench --profile${meta.entropy ? ' --entropy' : ''}\` (medians of ${meta.reps} runs per path, alternating); machine: ${meta.cpu} (${meta.cores} cores), node ${meta.node}; load average before ${(meta.loadAverage as { before: number[] }).before.join(', ')}, after ${(meta.loadAverage as { after: number[] }).after.join(', ')}`,
    '',
    '| where the time goes (CPU ms per update) | reference paths (tfjs ops, JS kernels) | fast paths (wasm SIMD kernels) |',
    '| --- | ---: | ---: |',
  ];
  for (const n of names) {
    lines.push(
      `| ${n} | ${ms(reference.categories[n])}${share(reference.categories[n], reference.profiledMsPerUpdate)} | ${ms(fast.categories[n])}${share(fast.categories[n], fast.profiledMsPerUpdate)} |`,
    );
  }
  lines.push(
    `| **one update, profiled (CPU)** | ${ms(reference.profiledMsPerUpdate)} | ${ms(fast.profiledMsPerUpdate)} |`,
    `| one update, not profiled (wall / CPU) | ${ms(reference.wallMsPerUpdate)} / ${ms(reference.cpuMsPerUpdate)} | ${ms(fast.wallMsPerUpdate)} / ${ms(fast.cpuMsPerUpdate)} |`,
    `| kernel launches per update | ${Math.round(reference.kernelCallsPerUpdate)} | ${Math.round(fast.kernelCallsPerUpdate)} |`,
    '',
    'Largest tfjs kernels (CPU ms per update, launches per update):',
    '',
    `- reference paths: ${reference.kernels
      .slice(0, 6)
      .map((k) => `${k.name} ${k.msPerUpdate.toFixed(1)} (${Math.round(k.callsPerUpdate)})`)
      .join(', ')}`,
    `- fast paths: ${fast.kernels
      .slice(0, 6)
      .map((k) => `${k.name} ${k.msPerUpdate.toFixed(1)} (${Math.round(k.callsPerUpdate)})`)
      .join(', ')}`,
  );
  return lines.join('\n');
}

/** Per-field medians of several profiles (categories, totals; kernel lists from the median run). */
export function medianProfile(runs: ProfileResult[]): ProfileResult {
  const byTotal = [...runs].sort((a, b) => a.profiledMsPerUpdate - b.profiledMsPerUpdate);
  const mid = byTotal[(byTotal.length - 1) >> 1]!;
  const names = new Set(runs.flatMap((r) => Object.keys(r.categories)));
  const categories: Record<string, number> = {};
  for (const n of names) categories[n] = median(runs.map((r) => r.categories[n] ?? 0));
  return {
    ...mid,
    wallMsPerUpdate: median(runs.map((r) => r.wallMsPerUpdate)),
    cpuMsPerUpdate: median(runs.map((r) => r.cpuMsPerUpdate)),
    profiledMsPerUpdate: median(runs.map((r) => r.profiledMsPerUpdate)),
    categories,
  };
}

function runProfile(
  w: Workload,
  entropy: boolean,
  reps: number,
  log: (s: string) => void,
): { text: string; json: Record<string, unknown> } {
  const loadBefore = loadAverage();
  const date = new Date().toISOString();
  const args = [profileScript, '--hidden', `${w.hidden}`, '--steps', `${w.steps}`, '--batch', `${w.batch}`];
  if (entropy) args.push('--entropy');
  const reference: ProfileResult[] = [];
  const fast: ProfileResult[] = [];
  for (let rep = 1; rep <= reps; rep++) {
    reference.push(
      runChild(process.execPath, args, { DIFFCONTRACT_FAST_KERNELS: '0' }) as unknown as ProfileResult,
    );
    fast.push(
      runChild(process.execPath, args, { DIFFCONTRACT_FAST_KERNELS: '1' }) as unknown as ProfileResult,
    );
    log(
      `profile rep ${rep}/${reps}: reference paths ${reference.at(-1)!.profiledMsPerUpdate.toFixed(1)} ms, fast paths ${fast.at(-1)!.profiledMsPerUpdate.toFixed(1)} ms`,
    );
  }
  const meta = {
    ...machineInfo(),
    date,
    entropy,
    reps,
    loadAverage: { before: loadBefore, after: loadAverage() },
  };
  const ref = medianProfile(reference);
  const fst = medianProfile(fast);
  return { text: formatProfile(ref, fst, meta), json: { machine: meta, reference: ref, fast: fst } };
}

// ---- scaling -----------------------------------------------------------------------------------

export const SCALING_HIDDEN = [64, 128, 256, 512];
export const SCALING_BATCH = [64, 256, 1024];

interface ScalingRow {
  hidden: number;
  batch: number;
  oursMs: number;
  referenceMs: number | null;
}

export function formatScaling(rows: ScalingRow[], meta: Record<string, unknown>): string {
  const lines = [
    `date: ${meta.date}; command: \`pnpm -s bench --scaling --seconds ${meta.seconds}\` (one run per cell, alternating); machine: ${meta.cpu} (${meta.cores} cores), node ${meta.node}; load average before ${(meta.loadAverage as { before: number[] }).before.join(', ')}, after ${(meta.loadAverage as { after: number[] }).after.join(', ')}`,
    '',
    `| ms per update | ${SCALING_BATCH.map((b) => `batch ${b}: ours / reference (ratio)`).join(' | ')} |`,
    `| --- | ${SCALING_BATCH.map(() => '---:').join(' | ')} |`,
  ];
  for (const h of SCALING_HIDDEN) {
    const cells = SCALING_BATCH.map((b) => {
      const r = rows.find((x) => x.hidden === h && x.batch === b);
      if (!r) return '-';
      if (r.referenceMs === null) return `${r.oursMs.toFixed(1)} / -`;
      return `${r.oursMs.toFixed(1)} / ${r.referenceMs.toFixed(1)} (${(r.referenceMs / r.oursMs).toFixed(2)})`;
    });
    lines.push(`| hidden ${h} | ${cells.join(' | ')} |`);
  }
  lines.push(
    '',
    "Ratio: our updates per second over the reference's (above 1: ours faster). T = 5, state 18, action 24.",
  );
  return lines.join('\n');
}

function runScaling(
  seconds: number,
  steps: number,
  python: string | null,
  log: (s: string) => void,
): { text: string; json: Record<string, unknown> } {
  const loadBefore = loadAverage();
  const date = new Date().toISOString();
  const rows: ScalingRow[] = [];
  for (const hidden of SCALING_HIDDEN) {
    for (const batch of SCALING_BATCH) {
      const w: Workload = { hidden, steps, batch, seconds };
      const o = runChild(process.execPath, [oursScript, ...workloadArgs(w), '--only-updates']);
      const oursMs = 1000 / Number(o.updatesPerSec);
      let referenceMs: number | null = null;
      if (python) {
        const r = runChild(python, [referenceScript, '--threads', '1', ...workloadArgs(w)], REFERENCE_ENV);
        referenceMs = 1000 / Number(r.updatesPerSec);
      }
      rows.push({ hidden, batch, oursMs, referenceMs });
      log(
        `hidden ${hidden} batch ${batch}: ours ${oursMs.toFixed(1)} ms` +
          (referenceMs !== null ? `, reference ${referenceMs.toFixed(1)} ms` : ''),
      );
    }
  }
  const meta = { ...machineInfo(), date, seconds, loadAverage: { before: loadBefore, after: loadAverage() } };
  return { text: formatScaling(rows, meta), json: { machine: meta, rows } };
}

// ---- command line ------------------------------------------------------------------------------

async function cli(argv: string[]): Promise<number> {
  const program = new Command('bench')
    .description('DMSAC workload: ours vs the PyTorch reference (same run, alternating)')
    .option('--json', 'print one JSON object {ours, reference, ratio, ...}')
    .option('--reps <n>', 'repetitions (medians are reported)', '5')
    .option('--seconds <s>', 'seconds per figure and repetition (scaling: per cell; default 2 there)')
    .option('--hidden <n>', 'hidden width', '256')
    .option('--steps <n>', 'denoising steps T', '5')
    .option('--batch <n>', 'batch size', '256')
    .option('--python <path>', 'Python interpreter with torch')
    .option('--profile', 'where the time of one update goes, reference paths vs fast paths (ours only)')
    .option('--entropy', 'with --profile: the training default (kNN entropy term, automatic temperature)')
    .option(
      '--scaling',
      `update time for hidden ${SCALING_HIDDEN.join('/')} x batch ${SCALING_BATCH.join('/')}`,
    )
    .option('--pricing', 'the pricing layer alone: markets priced and priced contracts per second')
    .option('--write-docs [file]', 'refresh the generated sections of docs/perf.md (or FILE)');
  program.parse(argv, { from: 'user' });
  const o = program.opts();
  const seconds = o.seconds === undefined ? (o.scaling ? 2 : 4) : +o.seconds;
  const w: Workload = { hidden: +o.hidden, steps: +o.steps, batch: +o.batch, seconds };
  const reps = +o.reps;
  for (const [k, v] of Object.entries({ ...w, reps })) {
    if (!Number.isFinite(v) || v <= 0) {
      process.stderr.write(`bench: --${k}: must be a positive number (${v})\n`);
      return 2;
    }
  }
  const docs = o.writeDocs === undefined ? null : o.writeDocs === true ? defaultDocs : String(o.writeDocs);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const print = (text: string, json: unknown) =>
    process.stdout.write(o.json ? `${JSON.stringify(json)}\n` : `${text}\n`);

  if (o.profile) {
    const p = runProfile(w, o.entropy === true, Math.min(reps, 3), log);
    print(p.text, p.json);
    if (docs) writeSections(docs, { [o.entropy ? 'profile-entropy' : 'profile']: p.text });
    return 0;
  }
  if (o.pricing) {
    const f = await pricingBench(Math.min(seconds, 2));
    print(formatPricing(f), f);
    if (docs) writeSections(docs, { pricing: formatPricing(f) });
    return 0;
  }
  const torch = findTorchPython(o.python);
  if (!torch) log('PyTorch not found: printing our figures alone');
  if (o.scaling) {
    const s = runScaling(seconds, w.steps, torch?.python ?? null, log);
    print(s.text, s.json);
    if (docs) writeSections(docs, { scaling: s.text });
    return 0;
  }
  const result = runBench(w, reps, torch?.python ?? null, log);
  if (torch) result.machine.torch = torch.torch;
  log('pricing layer ...');
  const pricing = await pricingBench(Math.min(seconds, 2));
  print(`${formatTable(result)}\n\n${formatPricing(pricing)}`, {
    ours: result.ours,
    reference: result.reference,
    ratio: result.ratio,
    spread: result.spread,
    machine: result.machine,
    pricing,
  });
  if (docs) writeSections(docs, { figures: formatTable(result), pricing: formatPricing(pricing) });
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
