/**
 * What of a run directory travels through Redis. A checkpoint for resuming elsewhere: the run's
 * config, its metrics so far (the training app truncates them to the checkpoint on resume), the probe
 * optimum cache and the newest complete `checkpoints/step-*` (the app writes them under a temporary
 * name and renames them, so a listed one is complete). A finished run: everything but checkpoints.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packDir } from './archive.js';

const STEP = /^step-(\d+)$/;

/** The newest complete checkpoint of a run directory, or null. */
export function newestCheckpoint(runDir: string): { name: string; step: number } | null {
  let names: string[];
  try {
    names = readdirSync(join(runDir, 'checkpoints'));
  } catch {
    return null;
  }
  let best: { name: string; step: number } | null = null;
  for (const name of names) {
    const m = STEP.exec(name);
    if (m && (best === null || Number(m[1]) > best.step)) best = { name, step: Number(m[1]) };
  }
  return best;
}

export function packCheckpoint(runDir: string, checkpointName: string): Buffer {
  const entries = ['config.json', 'metrics.jsonl', 'optimum.json'].filter((f) => existsSync(join(runDir, f)));
  return packDir(runDir, [...entries, `checkpoints/${checkpointName}`]);
}

export function packOutput(runDir: string): Buffer {
  return packDir(runDir, ['.'], (p) => p === 'checkpoints' || p.startsWith('checkpoints/'));
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
