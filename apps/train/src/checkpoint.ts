/**
 * Checkpoints: one directory per checkpoint, `checkpoints/step-<step>/`, holding `state.json` (any
 * JSON state plus the list of binary blobs) and one `<blob>.bin` per float32 array. The directory is
 * built under a temporary name and renamed into place, so a `step-*` directory is always complete:
 * a run killed while writing leaves only a temporary directory, which the next save or load ignores
 * and removes. Only the newest `keep` checkpoints are kept.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export type Blob = Float32Array | Float64Array;

export interface Checkpoint<S> {
  step: number;
  state: S;
  blobs: Record<string, Blob>;
}

interface StateFile<S> {
  format: 'diffcontract-train-checkpoint';
  version: 1;
  step: number;
  state: S;
  blobs: Record<string, { type: 'float32' | 'float64'; length: number }>;
}

const PREFIX = 'step-';
const TEMP_PREFIX = '.tmp-';

export function checkpointName(step: number): string {
  return `${PREFIX}${String(step).padStart(9, '0')}`;
}

function writeFileSynced(path: string, data: Uint8Array): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    for (let off = 0; off < data.byteLength; ) off += writeSync(fd, data, off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function bytesOf(a: Blob): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Steps of the complete checkpoints in `dir`, ascending. */
export function listCheckpoints(dir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(PREFIX) && /^\d+$/.test(n.slice(PREFIX.length)))
    .map((n) => Number(n.slice(PREFIX.length)))
    .sort((a, b) => a - b);
}

/** Writes a checkpoint atomically and prunes old ones; returns its directory. */
export function saveCheckpoint<S>(dir: string, cp: Checkpoint<S>, keep = 2): string {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `${TEMP_PREFIX}${checkpointName(cp.step)}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  const blobs: StateFile<S>['blobs'] = {};
  for (const [name, values] of Object.entries(cp.blobs)) {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`checkpoint blob name must be kebab-case (${name})`);
    // Float arrays are host-endian; every platform tfjs runs on is little-endian.
    writeFileSynced(join(tmp, `${name}.bin`), bytesOf(values));
    blobs[name] = { type: values instanceof Float64Array ? 'float64' : 'float32', length: values.length };
  }
  const file: StateFile<S> = {
    format: 'diffcontract-train-checkpoint',
    version: 1,
    step: cp.step,
    state: cp.state,
    blobs,
  };
  writeFileSynced(join(tmp, 'state.json'), Buffer.from(`${JSON.stringify(file)}\n`));
  const final = join(dir, checkpointName(cp.step));
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  const steps = listCheckpoints(dir);
  for (const old of steps.slice(0, Math.max(0, steps.length - keep))) {
    rmSync(join(dir, checkpointName(old)), { recursive: true, force: true });
  }
  for (const name of readdirSync(dir)) {
    if (name.startsWith(TEMP_PREFIX)) rmSync(join(dir, name), { recursive: true, force: true });
  }
  return final;
}

/** Reads the checkpoint of `step`, or the newest one when `step` is omitted; null when there is none. */
export function loadCheckpoint<S>(dir: string, step?: number): Checkpoint<S> | null {
  const steps = listCheckpoints(dir);
  const chosen = step ?? steps[steps.length - 1];
  if (chosen === undefined) return null;
  const cpDir = join(dir, checkpointName(chosen));
  const file = JSON.parse(readFileSync(join(cpDir, 'state.json'), 'utf8')) as StateFile<S>;
  if (file.format !== 'diffcontract-train-checkpoint' || file.version !== 1) {
    throw new Error(`${cpDir}/state.json: not a version-1 training checkpoint`);
  }
  const blobs: Record<string, Blob> = {};
  for (const [name, meta] of Object.entries(file.blobs)) {
    const bytes = readFileSync(join(cpDir, `${name}.bin`));
    const width = meta.type === 'float64' ? 8 : 4;
    if (bytes.byteLength !== meta.length * width) {
      throw new Error(`${cpDir}/${name}.bin: expected ${meta.length * width} bytes (${bytes.byteLength})`);
    }
    const values = meta.type === 'float64' ? new Float64Array(meta.length) : new Float32Array(meta.length);
    new Uint8Array(values.buffer).set(bytes);
    blobs[name] = values;
  }
  return { step: file.step, state: file.state, blobs };
}
