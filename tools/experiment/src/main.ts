#!/usr/bin/env node
/**
 * diffcontract-experiment: trains every run of the design (plan.ts) as child processes of the
 * training app, evaluates the baselines in-process, times dense vs compacted contract generation and
 * writes docs/results/ (results.json, tables, SVG figures, README.md). Exit codes: 0 done, 1 a run or
 * the analysis failed, 2 bad input, 130 stopped by Ctrl-C (continue with --resume).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@diffcontract/env';
import { Command, InvalidArgumentError } from 'commander';
import { analyse } from './analyse.js';
import { codeVersion } from './code.js';
import { DESIGNS, MODES, type Mode, planRuns, type RunSpec, trainConfigFile } from './plan.js';
import { createQueueProgress, formatDuration } from './progress.js';
import { runQueue, runState } from './queue.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Options {
  mode: Mode;
  jobs: number;
  out: string;
  runs?: string;
  resume: boolean;
  compare?: string;
}

function positiveInt(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1)
      throw new InvalidArgumentError(`${name}: must be a positive integer (${value})`);
    return n;
  };
}

function mode(value: string): Mode {
  if (!(MODES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`--mode: must be reduced or full (${value})`);
  return value as Mode;
}

/** Relative work of a run, for the ETA (diffusion updates scale with T; the Gaussian actor is cheaper). */
export function runWeight(spec: RunSpec): number {
  return spec.algo === 'sac' ? 0.7 : spec.denoisingSteps / 5;
}

async function run(opts: Options): Promise<number> {
  // pnpm runs scripts in the package directory; relative paths mean the directory pnpm was called from
  const base = process.env.INIT_CWD ?? process.cwd();
  const out = resolve(base, opts.out);
  const runsDir = opts.runs ? resolve(base, opts.runs) : join(out, 'runs');
  const cli = join(ROOT, 'apps/train/dist/cli.js');
  if (opts.compare && !existsSync(resolve(base, opts.compare))) {
    process.stderr.write(`diffcontract-experiment: --compare: no such file (${opts.compare})\n`);
    return 2;
  }
  if (!existsSync(cli)) {
    process.stderr.write(`diffcontract-experiment: training app not built, run pnpm build first (${cli})\n`);
    return 2;
  }
  const design = DESIGNS[opts.mode];
  const runs = planRuns(design);
  mkdirSync(out, { recursive: true });
  // The run directories (contracts, checkpoints, policies) are regenerated, not committed.
  if (!existsSync(join(out, '.gitignore'))) writeFileSync(join(out, '.gitignore'), 'runs/\n');
  const started = Date.now();
  process.stdout.write(
    `experiment (${opts.mode}): ${runs.length} training runs, ${opts.jobs} at a time; runs in ${runsDir}\n`,
  );
  // Which code trains: recorded whenever this invocation trains anything, read back by the analysis.
  if (runs.some((r) => runState(join(runsDir, r.id)) !== 'done')) {
    mkdirSync(runsDir, { recursive: true });
    writeFileAtomic(join(runsDir, 'code.json'), `${JSON.stringify(codeVersion(ROOT), null, 2)}\n`);
  }
  const weights = new Map(runs.map((r) => [r.id, runWeight(r)]));
  const progress = createQueueProgress(process.stderr, weights);
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nstopping: running trainings write a checkpoint; continue with --resume\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result: Awaited<ReturnType<typeof runQueue>>;
  try {
    result = await runQueue({
      runs,
      runsDir,
      cli,
      jobs: opts.jobs,
      configOf: (spec) => trainConfigFile(spec, design),
      resume: opts.resume,
      signal: controller.signal,
      events: {
        onStart: (spec) => progress.started(spec.id),
        onFinish: (spec, code, seconds) => progress.finished(spec.id, code === 0, seconds),
      },
    });
  } catch (e) {
    progress.stop();
    process.stderr.write(`diffcontract-experiment: ${(e as Error).message}\n`);
    return 2;
  }
  progress.stop();
  if (result.skipped.length > 0)
    process.stdout.write(`skipped (already done): ${result.skipped.join(' ')}\n`);
  if (result.stopped) return 130;
  if (result.failed.length > 0) {
    for (const f of result.failed)
      process.stderr.write(`run ${f.id} failed (exit ${f.code}); log: ${f.log}\n`);
    return 1;
  }
  const trainingSeconds = (Date.now() - started) / 1000;
  process.stdout.write(`training runs finished in ${formatDuration(trainingSeconds)}; analysing\n`);
  await analyse({
    design,
    runs,
    runsDir,
    out,
    jobs: opts.jobs,
    startedAt: new Date(started),
    trainingSeconds,
    resumed: result.skipped.length > 0,
    compare: opts.compare ? resolve(base, opts.compare) : undefined,
  });
  process.stdout.write(
    `results written to ${out} (total ${formatDuration((Date.now() - started) / 1000)})\n`,
  );
  return 0;
}

export function buildProgram(): Command {
  return new Command('diffcontract-experiment')
    .description(
      'EDMSAC vs DMSAC vs Gaussian SAC vs random contract vs exact optimum, with rho_p and T sweeps',
    )
    .option('--mode <mode>', 'reduced (under 15 minutes) or full', mode, 'reduced' as Mode)
    .option(
      '--jobs <n>',
      'training processes at a time (tfjs-wasm is single-threaded)',
      positiveInt('--jobs'),
      2,
    )
    .option('--out <dir>', 'results directory', join(ROOT, 'docs/results'))
    .option('--runs <dir>', 'run directories (default <out>/runs)')
    .option('--resume', 'skip runs whose eval.json exists, continue checkpointed ones', false)
    .option('--compare <results.json>', 'compare every run with those of an earlier run of the same mode')
    .showHelpAfterError(false);
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const program = buildProgram();
  program.exitOverride();
  program.configureOutput({
    writeErr: (s) => process.stderr.write(`diffcontract-experiment: ${s.replace(/^error: /, '')}`),
  });
  let opts: Options;
  try {
    program.parse(process.argv);
    opts = program.opts<Options>();
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode;
    process.exit(code === 0 ? 0 : 2);
  }
  run(opts)
    .then((code) => process.exit(code))
    .catch((e: unknown) => {
      process.stderr.write(`diffcontract-experiment: ${(e as Error).message}\n`);
      process.exit(1);
    });
}
