/**
 * The command line, callable in-process: `main(argv, io)` returns the exit code instead of exiting,
 * so tests run it without spawning. Exit codes: 0 done, 1 failure, 2 bad input (one line naming
 * the flag or key and the value), 130 stopped by Ctrl-C after writing a checkpoint.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadArtefact } from '@diffcontract/diffusion-actor';
import { type ExactMarket, InputError, readModelFile, toFloatMarket } from '@diffcontract/env';
import type { EvalMarket } from '@diffcontract/evaluation';
import { actors, BackendUnavailableError, setBackend } from '@diffcontract/sac';
import { Command, CommanderError, Option } from 'commander';
import { ALGOS, type Algo, BACKENDS, type Backend, type TrainConfig } from './config.js';
import { buildConfig, readResolvedConfig, UsageError } from './config-load.js';
import { checkRunCritic } from './critic-check.js';
import { evaluateRun } from './evaluate-run.js';
import type { Io } from './progress.js';
import { summaryLines } from './report.js';
import { defaultRunDir, pointLatest, RUN_FILES, writeJson } from './rundir.js';
import { type TrainResult, train } from './train.js';

export type { Io } from './progress.js';

export interface MainOptions {
  /** Ctrl-C: the run checkpoints after the current step and main returns 130 */
  signal?: AbortSignal;
  /** test hook passed to train(): abandon the run after this step, as a kill would */
  crashAfterStep?: number;
}

function intFlag(flag: string, min: number) {
  return (text: string): number => {
    if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
      throw new UsageError(`${flag}: must be an integer >= ${min} (${JSON.stringify(text)})`);
    }
    return Number(text);
  };
}

interface TrainFlags {
  config?: string;
  algo?: Algo;
  seed?: number;
  out?: string;
  resume?: string;
  backend?: Backend;
  steps?: number;
}

function isRunDir(dir: string): boolean {
  return existsSync(join(dir, RUN_FILES.config));
}

async function runTrain(flags: TrainFlags, io: Io, options: MainOptions): Promise<number> {
  let config: TrainConfig;
  let runDir: string;
  if (flags.resume !== undefined) {
    for (const [flag, value] of [
      ['--config', flags.config],
      ['--algo', flags.algo],
      ['--seed', flags.seed],
      ['--steps', flags.steps],
      ['--out', flags.out],
    ] as const) {
      if (value !== undefined) {
        throw new UsageError(
          `${flag}: cannot be combined with --resume; the run's config.json decides (${JSON.stringify(value)})`,
        );
      }
    }
    runDir = resolve(io.cwd, flags.resume);
    if (!existsSync(runDir) || !statSync(runDir).isDirectory()) {
      throw new UsageError(`--resume: no such run directory (${flags.resume})`);
    }
    if (!isRunDir(runDir))
      throw new UsageError(`--resume: not a run directory, it has no config.json (${flags.resume})`);
    config = readResolvedConfig(join(runDir, RUN_FILES.config));
    if (flags.backend !== undefined) config = { ...config, backend: flags.backend };
  } else {
    config = buildConfig({
      file: flags.config === undefined ? undefined : resolve(io.cwd, flags.config),
      overrides: { algo: flags.algo, seed: flags.seed, backend: flags.backend, steps: flags.steps },
    });
    runDir =
      flags.out === undefined ? defaultRunDir(io.cwd, config.algo, config.seed) : resolve(io.cwd, flags.out);
    if (isRunDir(runDir)) {
      throw new UsageError(`--out: already holds a run; continue it with --resume (${flags.out ?? runDir})`);
    }
    mkdirSync(runDir, { recursive: true });
    writeJson(join(runDir, RUN_FILES.config), config);
  }
  io.stdout.write(`run directory: ${runDir}\n`);
  const result: TrainResult = await train({
    config,
    runDir,
    io,
    resume: flags.resume !== undefined,
    signal: options.signal,
    crashAfterStep: options.crashAfterStep,
  });
  if (result.status !== 'finished') {
    io.stdout.write(
      `${result.status} after step ${result.step}/${config.budget.steps}; continue with: diffcontract-train --resume ${runDir}\n`,
    );
    return result.status === 'stopped' ? 130 : 1;
  }
  io.stdout.write(
    `${[`done: ${config.algo}, seed ${config.seed}, backend ${result.backend}`, ...summaryLines(result.evaluation!, result)].join('\n')}\n`,
  );
  if (flags.out === undefined && flags.resume === undefined) {
    io.stdout.write(`latest run: ${pointLatest(runDir)}\n`);
  }
  return 0;
}

/** Market files for `eval --markets`: each path a market or contract file, or a directory of them. */
export function readMarketFiles(paths: string[], cwd: string): EvalMarket[] {
  const files: string[] = [];
  for (const p of paths) {
    const full = resolve(cwd, p);
    if (existsSync(full) && statSync(full).isDirectory()) {
      const inDir = readdirSync(full)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(full, f));
      if (inDir.length === 0) throw new UsageError(`--markets: directory holds no .json files (${p})`);
      files.push(...inDir);
    } else {
      files.push(full);
    }
  }
  return files.map((file) => {
    let exact: ExactMarket;
    try {
      exact = readModelFile(file, { floatRanges: true }).market;
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw new UsageError(
        `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
    return { name: basename(file, '.json'), market: toFloatMarket(exact), exact };
  });
}

interface EvalFlags {
  markets?: string[];
  out?: string;
  backend?: Backend;
  certify: boolean;
}

async function runEval(runDirArg: string, flags: EvalFlags, io: Io): Promise<number> {
  const runDir = resolve(io.cwd, runDirArg);
  if (!existsSync(runDir) || !isRunDir(runDir))
    throw new UsageError(`RUN_DIR: not a run directory (${runDirArg})`);
  let config = readResolvedConfig(join(runDir, RUN_FILES.config));
  if (!existsSync(join(runDir, `${RUN_FILES.policy}.json`))) {
    throw new UsageError(
      `RUN_DIR: the run has no final policy yet; finish it with --resume first (${runDirArg})`,
    );
  }
  config = {
    ...config,
    backend: flags.backend ?? config.backend,
    evaluation: { ...config.evaluation, certify: flags.certify },
  };
  const markets = flags.markets ? readMarketFiles(flags.markets, io.cwd) : undefined;
  const outDir = resolve(
    io.cwd,
    flags.out ?? (markets ? join(runDirArg, `eval-${basename(flags.markets![0]!, '.json')}`) : runDirArg),
  );
  mkdirSync(outDir, { recursive: true });
  await setBackend(config.backend);
  const artefact = loadArtefact(join(runDir, RUN_FILES.policy));
  const actor = actors.get(artefact.manifest.kind).load(artefact);
  try {
    const report = await evaluateRun({
      runDir,
      config,
      actor,
      io,
      markets,
      marketsLabel: flags.markets ? flags.markets.join(', ') : undefined,
      outDir,
    });
    io.stdout.write(
      `evaluated ${report.summary.markets} markets into ${outDir}\n${summaryLines(report).join('\n')}\n`,
    );
  } finally {
    actor.dispose();
  }
  return 0;
}

interface CriticFlags {
  markets: number;
  step: number;
}

async function runCriticCheck(runDirArg: string, flags: CriticFlags, io: Io): Promise<number> {
  const runDir = resolve(io.cwd, runDirArg);
  if (!existsSync(runDir) || !isRunDir(runDir))
    throw new UsageError(`RUN_DIR: not a run directory (${runDirArg})`);
  const config = readResolvedConfig(join(runDir, RUN_FILES.config));
  const check = await checkRunCritic(runDir, config, flags);
  writeJson(join(runDir, 'critic-check.json'), check);
  io.stdout.write(
    [
      `critic slope check on ${check.markets} fresh markets at the policy's noise-free actions (step ${check.step}):`,
      `mean cosine(dQ/da, dr/da): ${check.meanCosine.toFixed(3)}`,
      `mean |dQ/da| ${check.meanAbsCriticSlope.toFixed(3)}, mean |dr/da| ${check.meanAbsRewardSlope.toFixed(3)}`,
      `mean Q - r at the policy: ${check.meanLevelOffset.toFixed(3)}`,
      `written to ${join(runDir, 'critic-check.json')}`,
      '',
    ].join('\n'),
  );
  return 0;
}

function positiveNumberFlag(flag: string) {
  return (text: string): number => {
    const x = Number(text);
    if (text.trim() === '' || !Number.isFinite(x) || x <= 0 || x > 1)
      throw new UsageError(`${flag}: must be a number in (0, 1] (${JSON.stringify(text)})`);
    return x;
  };
}

function buildProgram(io: Io, options: MainOptions, done: (code: number) => void): Command {
  const program = new Command('diffcontract-train')
    .description(
      'Train a diffusion (DMSAC/EDMSAC) or Gaussian (SAC) policy that designs two-period contracts',
    )
    .exitOverride()
    // `eval --out` and `eval --backend` belong to eval, not to the training flags of the same name.
    .enablePositionalOptions()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError(false)
    .option(
      '--config <file>',
      'JSON config (merged onto the default preset; see specs/train-config.schema.json)',
    )
    .addOption(new Option('--algo <algo>', 'algorithm').choices(ALGOS))
    .option('--seed <n>', 'seed of every random stream', intFlag('--seed', 0))
    .option('--out <dir>', 'run directory (default runs/<date>-<algo>-<seed>)')
    .option('--resume <dir>', 'continue the run in <dir> from its newest checkpoint')
    .addOption(new Option('--backend <name>', 'tensor backend').choices(BACKENDS))
    .option('--steps <n>', 'environment steps (overrides budget.steps)', intFlag('--steps', 1))
    .action(async (flags: TrainFlags) => done(await runTrain(flags, io, options)));
  program
    .command('eval')
    .description("re-evaluate a run's final policy: eval.json, repaired and certified contract files")
    .argument('<run-dir>', 'run directory')
    .option(
      '--markets <paths...>',
      'market or contract files (or directories of them) instead of the evaluation set',
    )
    .option(
      '--out <dir>',
      'output directory (default: the run directory, or <run-dir>/eval-<name> with --markets)',
    )
    .addOption(new Option('--backend <name>', 'tensor backend').choices(BACKENDS))
    .option('--no-certify', 'skip z3 certification')
    .action(async (runDir: string, flags: EvalFlags) => done(await runEval(runDir, flags, io)));
  program
    .command('critic')
    .description(
      "compare the critic's slope in the action with the reward's at the policy (newest checkpoint)",
    )
    .argument('<run-dir>', 'run directory')
    .option('--markets <n>', 'fresh markets to check on', intFlag('--markets', 1), 64)
    .option('--step <h>', 'finite-difference half-step in action units', positiveNumberFlag('--step'), 0.02)
    .action(async (runDir: string, flags: CriticFlags) => done(await runCriticCheck(runDir, flags, io)));
  return program;
}

export async function main(argv: string[], io: Io, options: MainOptions = {}): Promise<number> {
  let code = 0;
  const program = buildProgram(io, options, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with code 0; parse errors were already printed by commander.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError || e instanceof BackendUnavailableError) {
      io.stderr.write(`diffcontract-train: ${e.message}\n`);
      return 2;
    }
    io.stderr.write(`diffcontract-train: ${(e as Error).message ?? String(e)}\n`);
    if (process.env.DIFFCONTRACT_DEBUG) io.stderr.write(`${(e as Error).stack}\n`);
    return 1;
  }
}
