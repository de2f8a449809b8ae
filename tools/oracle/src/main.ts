#!/usr/bin/env node
// diffcontract-oracle: the diffusion actor trained on the exact reward gradient (oracle.ts), then
// scored on the evaluation set like a trained policy. Exit codes: 0 done, 2 bad option.
import { setBackend } from '@diffcontract/sac';
import { Command, InvalidArgumentError } from 'commander';
import { evaluateOnEvaluationSet } from './evaluate.js';
import { DEFAULT_ORACLE_CONFIG, type OracleConfig, trainOracle } from './oracle.js';

const integerFrom = (name: string, min: number) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isSafeInteger(n) || n < min)
    throw new InvalidArgumentError(`${name} must be an integer >= ${min} (${v})`);
  return n;
};
const positiveInt = (name: string) => integerFrom(name, 1);
const nonNegative =
  (name: string, positive = false) =>
  (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || (positive && n === 0))
      throw new InvalidArgumentError(`${name} must be a finite number ${positive ? '> 0' : '>= 0'} (${v})`);
    return n;
  };
const oneOf =
  <T extends string>(name: string, values: readonly T[]) =>
  (v: string) => {
    if (!values.includes(v as T))
      throw new InvalidArgumentError(`${name} must be one of ${values.join(', ')} (${v})`);
    return v as T;
  };

const d = DEFAULT_ORACLE_CONFIG;
const program = new Command('diffcontract-oracle')
  .description('train the diffusion actor on the exact reward gradient (no critic) and evaluate it')
  .option(
    '--action <a>',
    'allocation | contract (model.md section 6)',
    oneOf('--action', ['allocation', 'contract'] as const),
    d.action,
  )
  .option('--steps <n>', 'actor steps', positiveInt('--steps'), d.steps)
  .option('--lr <x>', 'Adam learning rate', nonNegative('--lr', true), d.lr)
  .option('--batch <n>', 'markets per step', positiveInt('--batch'), d.batchSize)
  .option('--penalty <x>', 'lambda of the reward', nonNegative('--penalty'), d.penalty)
  .option('--transform <t>', 'none | symlog', oneOf('--transform', ['none', 'symlog'] as const), d.transform)
  .option(
    '--chain <c>',
    'stochastic | deterministic',
    oneOf('--chain', ['stochastic', 'deterministic'] as const),
    d.chain,
  )
  .option('--denoising-steps <n>', 'T', positiveInt('--denoising-steps'), d.denoisingSteps)
  .option('--seed <n>', 'seed', integerFrom('--seed', 0), d.seed)
  .option('--markets <n>', 'evaluation markets (prefix of the fixed set)', positiveInt('--markets'), 100)
  .option('--json', 'print one JSON line instead of text')
  .exitOverride();

try {
  program.parse();
} catch (e) {
  const code = (e as { exitCode?: number }).exitCode ?? 2;
  process.exit(code === 0 ? 0 : 2);
}
const o = program.opts();
const config: OracleConfig = {
  action: o.action,
  steps: o.steps,
  lr: o.lr,
  batchSize: o.batch,
  penalty: o.penalty,
  transform: o.transform,
  chain: o.chain,
  seed: o.seed,
  denoisingSteps: o.denoisingSteps,
};
const backend = await setBackend('wasm');
const start = performance.now();
const log = (line: string) => {
  if (!o.json) process.stderr.write(`${line}\n`);
};
log(`oracle: ${JSON.stringify(config)} on ${backend.name}`);
const run = trainOracle(config, ({ step, reward }) => {
  const s = (performance.now() - start) / 1000;
  const eta = (s / step) * (config.steps - step);
  log(
    `step ${step}/${config.steps} reward ${reward.toFixed(4)} elapsed ${s.toFixed(0)}s ETA ${eta.toFixed(0)}s`,
  );
});
const trainSeconds = (performance.now() - start) / 1000;
const summary = await evaluateOnEvaluationSet(run.act, o.markets, config.action, config.penalty);
run.dispose();
const result = { config, trainSeconds, ...summary };
if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  process.stdout.write(
    [
      `mean U/U* before repair: ${summary.meanRatioRaw.toFixed(4)} (mean violation ${summary.meanViolationRaw.toFixed(4)}, feasible ${(100 * summary.feasibleShareRaw).toFixed(1)}%)`,
      `mean U/U* after repair:  ${summary.meanRatioRepaired.toFixed(4)} (min ${summary.minRatioRepaired.toFixed(4)})`,
      `training: ${trainSeconds.toFixed(1)} s`,
      '',
    ].join('\n'),
  );
}
process.exit(0);
