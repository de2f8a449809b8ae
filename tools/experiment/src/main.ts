#!/usr/bin/env node
/**
 * diffcontract-experiment: trains every run of the design (plan.ts) with the training app, as child
 * processes here (`--queue local`) or on workers of a BullMQ queue (`--queue redis://...`, and
 * `diffcontract-experiment worker` on each machine), evaluates the baselines in-process, times dense
 * vs compacted contract generation and writes docs/results/ (results.json, tables, SVG figures,
 * README.md). Exit codes: 0 done, 1 a run or the analysis failed, 2 bad input, 130 stopped by Ctrl-C
 * (continue with --resume; on Redis, rerun the same command).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@diffcontract/env';
import { formatDuration } from '@diffcontract/report';
import { Command, InvalidArgumentError, Option } from 'commander';
import { codeVersion } from './code.js';
import { codeIdentity } from './grid.js';
import { DESIGNS, MODES, type Mode, planRuns, type RunSpec, trainConfigFile } from './plan.js';
import { createQueueProgress } from './progress.js';
import { runQueue, runState } from './queue.js';
import { InputError, parseQueueTarget, type QueueTarget } from './queue-target.js';
import { connectRedis } from './redis.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Options {
  mode: Mode;
  queue: QueueTarget;
  jobs: number;
  out: string;
  runs?: string;
  resume: boolean;
  compare?: string;
  subset?: Subset;
}

/** `comparison`: only EDMSAC's and DMSAC's comparison runs (allocation formulation), to check a rerun */
export type Subset = 'comparison';

/** The runs of a subset of the design. */
export function subsetRuns(runs: readonly RunSpec[], subset: Subset | undefined): RunSpec[] {
  if (subset === undefined) return [...runs];
  return runs.filter((r) => r.group === 'main' && r.algo !== 'sac');
}

function subset(value: string): Subset {
  if (value !== 'comparison') throw new InvalidArgumentError(`--subset: must be comparison (${value})`);
  return value;
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
    throw new InvalidArgumentError(`--mode: must be ${MODES.join(', ')} (${value})`);
  return value as Mode;
}

function queueTarget(value: string): QueueTarget {
  try {
    return parseQueueTarget(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function redisOnly(value: string) {
  const target = queueTarget(value);
  if (target.kind !== 'redis')
    throw new InvalidArgumentError(`--queue: a worker needs a Redis URL redis://HOST:PORT[/DB] (${value})`);
  return target;
}

// Run from sources (the tests: node with a TypeScript loader), the training app runs from its sources too.
const FROM_SOURCES = fileURLToPath(import.meta.url).endsWith('.ts');
const CLI = join(ROOT, FROM_SOURCES ? 'apps/train/src/cli.ts' : 'apps/train/dist/cli.js');
const NODE_ARGS = FROM_SOURCES ? process.execArgv : [];

function trainingAppBuilt(): boolean {
  if (existsSync(CLI)) return true;
  process.stderr.write(`diffcontract-experiment: training app not built, run pnpm build first (${CLI})\n`);
  return false;
}

/** First Ctrl-C aborts (the caller lets trainings checkpoint), a second one quits at once. */
function abortOnSignals(message: string): AbortController {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(`\n${message}\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller;
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
  const cli = CLI;
  if (opts.compare && !existsSync(resolve(base, opts.compare))) {
    process.stderr.write(`diffcontract-experiment: --compare: no such file (${opts.compare})\n`);
    return 2;
  }
  if (!trainingAppBuilt()) return 2;
  const redis = opts.queue.kind === 'redis' ? opts.queue : null;
  if (redis) {
    // Before anything is written: an unreachable Redis is the user's input, one line, exit 2.
    try {
      (await connectRedis(redis)).disconnect();
    } catch (e) {
      process.stderr.write(`diffcontract-experiment: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const design = DESIGNS[opts.mode];
  const runs = subsetRuns(planRuns(design), opts.subset);
  mkdirSync(out, { recursive: true });
  // The run directories (contracts, checkpoints, policies) are regenerated, not committed.
  if (!existsSync(join(out, '.gitignore'))) writeFileSync(join(out, '.gitignore'), 'runs/\n');
  const started = Date.now();
  process.stdout.write(
    `experiment (${opts.mode}${opts.subset ? `, ${opts.subset} runs only` : ''}): ${runs.length} training runs, ${redis ? `on workers of ${redis.display}` : `${opts.jobs} at a time`}; runs in ${runsDir}\n`,
  );
  // Which code trains: recorded whenever this invocation trains anything, read back by the analysis.
  if (runs.some((r) => runState(join(runsDir, r.id)) !== 'done')) {
    mkdirSync(runsDir, { recursive: true });
    writeFileAtomic(join(runsDir, 'code.json'), `${JSON.stringify(codeVersion(ROOT), null, 2)}\n`);
  }
  const controller = abortOnSignals(
    redis
      ? 'stopping the coordinator; the workers go on; rerun the same command to collect'
      : 'stopping: running trainings write a checkpoint; continue with --resume',
  );
  let result: Awaited<ReturnType<typeof runQueue>>;
  const weights = new Map(runs.map((r) => [r.id, runWeight(r)]));
  const progress = redis ? null : createQueueProgress(process.stderr, weights);
  try {
    result = redis
      ? await (await import('./coordinator.js')).runGrid({
          target: redis,
          mode: opts.mode,
          runs,
          runsDir,
          configOf: (spec) => trainConfigFile(spec, design),
          code: codeIdentity(codeVersion(ROOT)),
          resume: opts.resume,
          progress: process.stderr,
          signal: controller.signal,
        })
      : await runQueue({
          runs,
          runsDir,
          cli,
          nodeArgs: NODE_ARGS,
          jobs: opts.jobs,
          configOf: (spec) => trainConfigFile(spec, design),
          resume: opts.resume,
          signal: controller.signal,
          events: {
            onStart: (spec) => progress?.started(spec.id),
            onFinish: (spec, code, seconds) => progress?.finished(spec.id, code === 0, seconds),
          },
        });
  } catch (e) {
    progress?.stop();
    process.stderr.write(`diffcontract-experiment: ${(e as Error).message}\n`);
    // the local queue only throws for its input (runs already there); Redis also mid-grid
    return !redis || e instanceof InputError ? 2 : 1;
  }
  progress?.stop();
  if (result.skipped.length > 0)
    process.stdout.write(`skipped (already done): ${result.skipped.join(' ')}\n`);
  if (result.stopped) return 130;
  if (result.failed.length > 0) {
    for (const f of result.failed)
      process.stderr.write(`run ${f.id} failed (${f.reason ?? `exit ${f.code}`}); log: ${f.log}\n`);
    return 1;
  }
  const trainingSeconds = (Date.now() - started) / 1000;
  process.stdout.write(`training runs finished in ${formatDuration(trainingSeconds)}; analysing\n`);
  // Loaded here: the analysis pulls in tfjs, HiGHS and z3, which a failing start should not wait for.
  const { analyse, writeSubsetResults } = await import('./analyse.js');
  if (opts.subset) {
    const check = writeSubsetResults({
      mode: opts.mode,
      subset: opts.subset,
      runs,
      runsDir,
      out,
      jobs: opts.jobs,
      queue: redis ? redis.display : 'local',
      compare: opts.compare ? resolve(base, opts.compare) : undefined,
    });
    process.stdout.write(`${check}results written to ${join(out, 'results.json')}\n`);
    return 0;
  }
  await analyse({
    design,
    runs,
    runsDir,
    out,
    jobs: opts.jobs,
    queue: redis ? redis.display : 'local',
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

export interface WorkerCliOptions {
  queue: Extract<QueueTarget, { kind: 'redis' }>;
  concurrency: number;
  stay: boolean;
  lockMs: number;
  stalledMs: number;
}

async function work(opts: WorkerCliOptions): Promise<number> {
  if (!trainingAppBuilt()) return 2;
  const controller = abortOnSignals(
    'stopping: running trainings write a checkpoint and go back to the queue for another worker',
  );
  try {
    const { runWorker } = await import('./worker.js');
    return await runWorker({
      ...opts,
      target: opts.queue,
      cli: CLI,
      nodeArgs: NODE_ARGS,
      code: codeIdentity(codeVersion(ROOT)),
      log: (line) => process.stderr.write(`${line}\n`),
      signal: controller.signal,
    });
  } catch (e) {
    process.stderr.write(`diffcontract-experiment worker: ${(e as Error).message}\n`);
    return e instanceof InputError ? 2 : 1;
  }
}

type Invocation =
  | { command: 'run'; opts: Options }
  | { command: 'worker'; opts: WorkerCliOptions }
  | { command: 'render'; dir: string };

/** Redraws a results directory's table, figures and README from its results.json. */
async function render(dir: string): Promise<number> {
  const out = resolve(process.env.INIT_CWD ?? process.cwd(), dir);
  try {
    const { renderResultsDir } = await import('./figures.js');
    renderResultsDir(out);
  } catch (e) {
    process.stderr.write(`diffcontract-experiment: ${(e as Error).message}\n`);
    return e instanceof InputError ? 2 : 1;
  }
  process.stdout.write(`redrew table.md, the figures and README.md in ${out}\n`);
  return 0;
}

export function buildProgram(onParsed: (i: Invocation) => void = () => {}): Command {
  const program = new Command('diffcontract-experiment')
    .description(
      'EDMSAC vs DMSAC vs Gaussian SAC vs random contract vs exact optimum, with rho_p and T sweeps',
    )
    .enablePositionalOptions()
    .option('--mode <mode>', 'smoke (a minute), reduced (under 15 minutes) or full', mode, 'reduced' as Mode)
    .addOption(
      new Option(
        '--queue <where>',
        'local (child processes here) or redis://HOST:PORT[/DB] (workers anywhere)',
      )
        .argParser(queueTarget)
        .default({ kind: 'local' } as QueueTarget, 'local'),
    )
    .option(
      '--jobs <n>',
      'local queue: training processes at a time (tfjs-wasm is single-threaded)',
      positiveInt('--jobs'),
      2,
    )
    .option('--out <dir>', 'results directory', join(ROOT, 'docs/results'))
    .option('--runs <dir>', 'run directories (default <out>/runs)')
    .option('--resume', 'skip runs whose eval.json exists, continue checkpointed ones', false)
    .option('--compare <results.json>', 'compare every run with those of an earlier run of the same mode')
    .option(
      '--subset <name>',
      'comparison: train only the EDMSAC and DMSAC comparison runs and write their figures (to --compare with a full run)',
      subset,
    )
    .showHelpAfterError(false)
    .action((opts: Options) => onParsed({ command: 'run', opts }));
  program
    .command('worker')
    .description('train runs of the grids on a Redis queue (any machine with the repository built)')
    .requiredOption('--queue <url>', 'redis://HOST:PORT[/DB]', redisOnly)
    .option('--concurrency <n>', 'runs at a time', positiveInt('--concurrency'), 1)
    .option('--stay', 'keep serving new grids instead of leaving when the grid is done', false)
    .addOption(
      new Option('--lock-ms <ms>', "how soon a dead worker's runs go to another worker (BullMQ lockDuration)")
        .argParser(positiveInt('--lock-ms'))
        .default(30_000),
    )
    .addOption(
      new Option('--stalled-ms <ms>', 'interval of the stalled-run check (BullMQ stalledInterval)')
        .argParser(positiveInt('--stalled-ms'))
        .default(30_000),
    )
    .action((opts: WorkerCliOptions) => onParsed({ command: 'worker', opts }));
  program
    .command('render')
    .description(
      "redraw table.md, the SVG figures and README.md from a results directory's results.json (no training, no timing)",
    )
    .argument('[dir]', 'results directory', join(ROOT, 'docs/results'))
    .action((dir: string) => onParsed({ command: 'render', dir }));
  return program;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  let invocation: Invocation | null = null;
  const program = buildProgram((i) => {
    invocation = i;
  });
  const writeErr = (s: string) =>
    process.stderr.write(`diffcontract-experiment: ${s.replace(/^error: /, '')}`);
  program.exitOverride();
  program.configureOutput({ writeErr });
  for (const sub of program.commands) {
    sub.exitOverride();
    sub.configureOutput({ writeErr });
  }
  try {
    program.parse(process.argv);
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode;
    process.exit(code === 0 ? 0 : 2);
  }
  const chosen = invocation as Invocation | null;
  if (chosen === null) process.exit(0);
  (chosen.command === 'worker'
    ? work(chosen.opts)
    : chosen.command === 'render'
      ? render(chosen.dir)
      : run(chosen.opts)
  )
    .then((code) => process.exit(code))
    .catch((e: unknown) => {
      process.stderr.write(`diffcontract-experiment: ${(e as Error).message}\n`);
      process.exit(1);
    });
}
