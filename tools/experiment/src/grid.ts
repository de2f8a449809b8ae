/**
 * A grid on Redis: its identity (a hash of every run's id and config, so two grids on one Redis never
 * share a queue), the job a run becomes, and the keys next to BullMQ's own. Pure, tested directly.
 *
 * Keys (besides BullMQ's `bull:<queue>:*`):
 *   diffcontract:grids                       sorted set of the grids' queue names, by creation time
 *   diffcontract:grid:<queue>                hash: mode, code (commit), runs, enqueued, refusals
 *   diffcontract:grid:<queue>:checkpoint:<run>  the run's newest checkpoint (archive.ts)
 *   diffcontract:grid:<queue>:output:<run>      the finished run directory without checkpoints
 *   diffcontract:grid:<queue>:log:<run>         the training app's output of the last attempt
 */
import { createHash } from 'node:crypto';
import type { CodeVersion } from './code.js';
import type { Mode } from './plan.js';

export const GRID_REGISTRY = 'diffcontract:grids';

export interface GridRun {
  id: string;
  config: Record<string, unknown>;
}

/** The data of one job: everything a worker needs to train the run. */
export interface RunJobData {
  id: string;
  /** the experiment's config file of the run (merged by the training app onto its default preset) */
  config: Record<string, unknown>;
  mode: Mode;
  /** the code the coordinator plans with; workers built from other code refuse the grid */
  code: string;
}

/** What a finished job returns (the run directory itself is under outputKey). */
export interface RunJobResult {
  worker: string;
  seconds: number;
  /** environment step the attempt started from (0: from scratch) */
  resumedFrom: number;
  bytes: number;
  sha256: string;
}

/** Progress a worker reports on its job. */
export interface RunJobProgress {
  worker: string;
  step: number;
  steps: number;
}

export function gridHash(mode: Mode, runs: readonly GridRun[]): string {
  const text = JSON.stringify({ mode, runs: runs.map((r) => [r.id, r.config]) });
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** BullMQ queue name of a grid (BullMQ forbids `:` in queue names). */
export function gridQueueName(mode: Mode, hash: string): string {
  return `diffcontract-${mode}-${hash}`;
}

export const gridKeys = (queue: string) => ({
  meta: `diffcontract:grid:${queue}`,
  checkpoint: (run: string) => `diffcontract:grid:${queue}:checkpoint:${run}`,
  output: (run: string) => `diffcontract:grid:${queue}:output:${run}`,
  log: (run: string) => `diffcontract:grid:${queue}:log:${run}`,
});

/**
 * The code identity workers must share with the coordinator: the commit, plus a marker when source
 * files had uncommitted changes (two checkouts of one commit with different edits differ).
 */
export function codeIdentity(v: CodeVersion): string {
  const commit = v.commit ?? 'no-git';
  if (v.uncommitted.length === 0) return commit;
  const changes = createHash('sha256').update(v.uncommitted.join('\n')).digest('hex').slice(0, 8);
  return `${commit}+uncommitted-${changes}`;
}

/** The refusal a worker gives for a grid planned by other code. */
export function codeMismatch(queue: string, worker: string, grid: string): string {
  return `grid ${queue} was planned by code ${grid}, this worker is built from ${worker}: check out and build ${grid} on this machine`;
}

/** Checks a job's data as it comes out of Redis; returns the problem or null. */
export function jobDataProblem(data: unknown): string | null {
  if (typeof data !== 'object' || data === null) return `job data: not an object (${JSON.stringify(data)})`;
  const d = data as Record<string, unknown>;
  if (typeof d.id !== 'string' || !/^[A-Za-z0-9._-]+$/.test(d.id))
    return `job data: id must be a run name (${JSON.stringify(d.id)})`;
  if (typeof d.config !== 'object' || d.config === null || Array.isArray(d.config))
    return `job data: config must be an object (${JSON.stringify(d.config)})`;
  if (typeof d.code !== 'string') return `job data: code must be a string (${JSON.stringify(d.code)})`;
  return null;
}
