/**
 * Evaluation of a run's policy, shared by the end of training and the `eval` command so both write
 * the same files: eval.json, contracts/, contracts-raw/ and the per-market plot.
 */
import { basename, join } from 'node:path';
import { createNoise } from '@diffcontract/diffusion-actor';
import { evaluationSet, stateDim, writeFileAtomic } from '@diffcontract/env';
import {
  type EvalMarket,
  type EvalReport,
  evalMarketsOf,
  evaluatePolicy,
  optimumFor,
} from '@diffcontract/evaluation';
import { scatterChart } from '@diffcontract/report';
import type { Actor } from '@diffcontract/sac';
import type { TrainConfig } from './config.js';
import { UsageError } from './config-load.js';
import { createProgress, type Io } from './progress.js';
import { RUN_FILES, writeJson } from './rundir.js';

export interface EvaluateRunOptions {
  runDir: string;
  config: TrainConfig;
  actor: Actor;
  io: Io;
  /** markets to evaluate on; default the first `config.evaluation.markets` of the evaluation set */
  markets?: EvalMarket[];
  /** what the markets are, for eval.json; default `evaluation set` */
  marketsLabel?: string;
  /** where eval.json and the contract directories go; default runDir */
  outDir?: string;
}

export function perMarketChart(report: EvalReport): string {
  return scatterChart({
    title: 'U/U* per evaluation market',
    xLabel: 'market',
    yLabel: 'U/U*',
    series: [
      { name: 'raw policy output', points: report.markets.map((m, i) => [i, m.raw.ratio] as const) },
      { name: 'after repair', points: report.markets.map((m, i) => [i, m.repaired.ratio] as const) },
    ],
    hLines: [{ y: 1, label: 'optimum' }],
  });
}

export async function evaluateRun(o: EvaluateRunOptions): Promise<EvalReport> {
  const c = o.config;
  const outDir = o.outDir ?? o.runDir;
  const markets = o.markets ?? evalMarketsOf(evaluationSet().slice(0, c.evaluation.markets));
  for (const m of markets) {
    const K = m.market.theta.length;
    if (stateDim(K) !== o.actor.stateDim) {
      throw new UsageError(
        `${m.name}: market.theta: the policy was trained for another number of types (K = ${K})`,
      );
    }
  }
  const progress = createProgress(o.io.stderr, 'optimum');
  progress.start(markets.length, 0);
  const optimum = await optimumFor(
    markets.map((m) => m.exact),
    join(o.runDir, RUN_FILES.optimum),
    (done) => progress.update(done, {}, done === markets.length),
  );
  progress.stop();
  const evalProgress = createProgress(o.io.stderr, c.evaluation.certify ? 'repair+certify' : 'repair');
  evalProgress.start(markets.length, 0);
  // Sampled candidates draw from streams of their own (seeded per market), so evaluation is
  // reproducible and consumes no training stream.
  const unused = createNoise(0);
  const report = await evaluatePolicy({
    markets,
    optimum,
    act: (states) => o.actor.act(states, unused, true),
    sample: (states, seed) => o.actor.act(states, createNoise(seed), false),
    formulation: c.environment.action,
    penalty: c.environment.penalty,
    candidates: c.evaluation.candidates,
    certify: c.evaluation.certify,
    certifyTimeoutMs: c.evaluation.certifyTimeoutMs,
    outDir,
    source: `diffcontract-train ${basename(o.runDir)}`,
    onMarket: (done, total) => evalProgress.update(done, {}, done === total || done % 25 === 0),
  });
  evalProgress.stop();
  writeJson(join(outDir, RUN_FILES.eval), {
    run: basename(o.runDir),
    algo: c.algo,
    seed: c.seed,
    markets: o.marketsLabel ?? 'evaluation set',
    policy:
      c.evaluation.candidates > 1
        ? `best of ${c.evaluation.candidates} candidates (the noise-free action and samples) of the final actor`
        : 'noise-free action of the final actor',
    summary: report.summary,
    perMarket: report.markets,
  });
  writeFileAtomic(join(outDir, RUN_FILES.perMarket), perMarketChart(report));
  return report;
}
