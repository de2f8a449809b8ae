/**
 * Layout of a run directory. Everything a run writes goes through these names, so `eval`, the
 * report and the tests agree on them.
 */
import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '@diffcontract/env';
import type { Algo } from './config.js';

export const RUN_FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  checkpoints: 'checkpoints',
  /** final actor weights (diffcontract-weights artefact: policy.json + policy.bin) */
  policy: 'policy',
  /** EDMSAC: the policy with its masked units removed (compact-export.ts; policy-compact.json + .bin) */
  policyCompact: 'policy-compact',
  optimum: 'optimum.json',
  eval: 'eval.json',
  contracts: 'contracts',
  contractsRaw: 'contracts-raw',
  report: 'report.md',
  timing: 'timing.json',
  curveRatio: 'learning-ratio.svg',
  curveViolation: 'learning-violation.svg',
  perMarket: 'eval-per-market.svg',
} as const;

/** `runs/<YYYY-MM-DD>-<algo>-<seed>` under `cwd`, with `-2`, `-3`, ... when that name is taken. */
export function defaultRunDir(cwd: string, algo: Algo, seed: number, now: Date = new Date()): string {
  const date = now.toISOString().slice(0, 10);
  const base = resolve(cwd, 'runs', `${date}-${algo}-${seed}`);
  if (!existsSync(base)) return base;
  for (let k = 2; ; k++) {
    const candidate = `${base}-${k}`;
    if (!existsSync(candidate)) return candidate;
  }
}

/**
 * Points `<parent>/latest` at `runDir` (a relative symlink, swapped in atomically by rename), so the
 * README's main command can certify the newest run without knowing its dated name.
 */
export function pointLatest(runDir: string): string {
  const parent = dirname(runDir);
  const link = join(parent, 'latest');
  const temp = join(parent, `.latest-${process.pid}`);
  rmSync(temp, { force: true });
  symlinkSync(basename(runDir), temp);
  renameSync(temp, link);
  return link;
}

export function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** One metrics line per logging interval. */
export interface MetricsLine {
  step: number;
  updates: number;
  /** mean reward of the transitions collected since the previous line */
  meanReward: number;
  criticLoss: number;
  actorLoss: number;
  alpha: number;
  entropy: number;
  meanQ: number;
  /** probe markets, noise-free policy, raw contracts (before repair) */
  probeRatio: number;
  probeViolation: number;
  /** share of probe contracts with violation 0 in floating point */
  probeFeasible: number;
  /** probe markets, the same contracts after exact repair */
  probeRatioRepaired: number;
  /** share of the actor's prunable neurons masked (EDMSAC; 0 otherwise) */
  prunedShare: number;
  /** wall-clock figures: the only fields that differ between identical runs */
  updatesPerSec: number;
  elapsedSeconds: number;
}

export const TIMING_FIELDS = ['updatesPerSec', 'elapsedSeconds'] as const;

export function appendMetrics(runDir: string, line: MetricsLine): void {
  appendFileSync(join(runDir, RUN_FILES.metrics), `${JSON.stringify(line)}\n`);
}

/** Metrics lines of a run; a torn last line (killed mid-append) is skipped. */
export function readMetrics(runDir: string): MetricsLine[] {
  let text: string;
  try {
    text = readFileSync(join(runDir, RUN_FILES.metrics), 'utf8');
  } catch {
    return [];
  }
  const lines: MetricsLine[] = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    try {
      lines.push(JSON.parse(raw) as MetricsLine);
    } catch {
      // A line cut short by a kill: the resumed run writes it again.
    }
  }
  return lines;
}

/** Drops metrics lines past `step` (logged after the checkpoint a resumed run restarts from). */
export function truncateMetrics(runDir: string, step: number): void {
  const kept = readMetrics(runDir).filter((l) => l.step <= step);
  writeFileAtomic(join(runDir, RUN_FILES.metrics), kept.map((l) => `${JSON.stringify(l)}\n`).join(''));
}
