/**
 * Weight artefacts: a JSON manifest plus one binary file of float32 values.
 *
 * On disk `<path>.json` holds
 *   { "format": "diffcontract-weights", "version": 1, "kind": "<registry name>",
 *     "config": { ...everything needed to rebuild the network... },
 *     "tensors": [ { "name": "...", "shape": [..], "offset": <index in floats> }, ... ],
 *     "length": <total number of floats> }
 * and `<path>.bin` the `length` float32 values, little-endian, tensors back to back in manifest order.
 * Both files are written atomically (temp file + rename), the binary first, so a reader that finds
 * the manifest also finds a complete binary.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export const WEIGHTS_FORMAT = 'diffcontract-weights';

export interface TensorEntry {
  name: string;
  shape: number[];
  /** offset in floats (not bytes) into `values` */
  offset: number;
}

export interface WeightsManifest {
  format: typeof WEIGHTS_FORMAT;
  version: 1;
  kind: string;
  config: Record<string, unknown>;
  tensors: TensorEntry[];
  length: number;
}

export interface WeightsArtefact {
  manifest: WeightsManifest;
  values: Float32Array;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Packs named float32 arrays (in the given order) into an artefact. */
export function packArtefact(
  kind: string,
  config: Record<string, unknown>,
  tensors: readonly { name: string; shape: number[]; values: Float32Array }[],
): WeightsArtefact {
  let length = 0;
  const entries: TensorEntry[] = [];
  for (const t of tensors) {
    if (t.values.length !== sizeOf(t.shape)) {
      throw new Error(`${t.name}: ${t.values.length} values for shape [${t.shape.join(', ')}]`);
    }
    entries.push({ name: t.name, shape: [...t.shape], offset: length });
    length += t.values.length;
  }
  const values = new Float32Array(length);
  tensors.forEach((t, i) => {
    values.set(t.values, entries[i]!.offset);
  });
  return { manifest: { format: WEIGHTS_FORMAT, version: 1, kind, config, tensors: entries, length }, values };
}

/** The named tensor's values (a view into the artefact) with a shape check. */
export function tensorOf(artefact: WeightsArtefact, name: string, shape?: readonly number[]): Float32Array {
  const entry = artefact.manifest.tensors.find((t) => t.name === name);
  if (!entry) throw new Error(`weights: tensors: missing tensor (${name})`);
  if (shape && (entry.shape.length !== shape.length || entry.shape.some((d, i) => d !== shape[i]))) {
    throw new Error(
      `weights: tensors.${name}.shape: expected [${shape.join(', ')}] (got [${entry.shape.join(', ')}])`,
    );
  }
  return artefact.values.subarray(entry.offset, entry.offset + sizeOf(entry.shape));
}

function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Writes `<pathPrefix>.bin` then `<pathPrefix>.json`, each atomically. */
export function saveArtefact(pathPrefix: string, artefact: WeightsArtefact): void {
  const v = artefact.values;
  // Float32Array is host-endian; every platform tfjs runs on is little-endian, which the format fixes.
  writeAtomic(`${pathPrefix}.bin`, new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  writeAtomic(`${pathPrefix}.json`, `${JSON.stringify(artefact.manifest, null, 2)}\n`);
}

/** Reads an artefact written by `saveArtefact`, checking the manifest against the binary. */
export function loadArtefact(pathPrefix: string): WeightsArtefact {
  const file = `${pathPrefix}.json`;
  let manifest: WeightsManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as WeightsManifest;
  } catch (e) {
    throw new Error(`${file}: cannot read weights manifest (${(e as Error).message})`);
  }
  if (manifest.format !== WEIGHTS_FORMAT)
    throw new Error(`${file}: format: expected ${WEIGHTS_FORMAT} (${manifest.format})`);
  if (manifest.version !== 1) throw new Error(`${file}: version: unsupported (${manifest.version})`);
  const bytes = readFileSync(`${pathPrefix}.bin`);
  if (bytes.byteLength !== manifest.length * 4) {
    throw new Error(`${pathPrefix}.bin: expected ${manifest.length * 4} bytes (${bytes.byteLength})`);
  }
  const values = new Float32Array(manifest.length);
  new Uint8Array(values.buffer).set(bytes);
  for (const t of manifest.tensors) {
    if (t.offset + sizeOf(t.shape) > manifest.length)
      throw new Error(`${file}: tensors.${t.name}: out of range`);
  }
  return { manifest, values };
}

/**
 * Nests several artefacts into one: tensors are renamed `<part>/<name>` and each part's manifest
 * (kind and config) is kept under `config.parts.<part>`. Used for agent checkpoints.
 */
export function combineArtefacts(
  kind: string,
  config: Record<string, unknown>,
  parts: Record<string, WeightsArtefact>,
  extra: readonly { name: string; shape: number[]; values: Float32Array }[] = [],
): WeightsArtefact {
  const tensors: { name: string; shape: number[]; values: Float32Array }[] = [];
  const partManifests: Record<string, { kind: string; config: Record<string, unknown> }> = {};
  for (const [part, a] of Object.entries(parts)) {
    partManifests[part] = { kind: a.manifest.kind, config: a.manifest.config };
    for (const t of a.manifest.tensors) {
      tensors.push({
        name: `${part}/${t.name}`,
        shape: t.shape,
        values: a.values.subarray(t.offset, t.offset + sizeOf(t.shape)),
      });
    }
  }
  return packArtefact(kind, { ...config, parts: partManifests }, [...tensors, ...extra]);
}

/** The part `part` of a combineArtefacts() result, as a standalone artefact (values are views). */
export function partOf(artefact: WeightsArtefact, part: string): WeightsArtefact {
  const parts = artefact.manifest.config.parts as
    | Record<string, { kind: string; config: Record<string, unknown> }>
    | undefined;
  const meta = parts?.[part];
  if (!meta) throw new Error(`weights: config.parts: missing part (${part})`);
  const prefix = `${part}/`;
  const entries = artefact.manifest.tensors.filter((t) => t.name.startsWith(prefix));
  return packArtefact(
    meta.kind,
    meta.config,
    entries.map((t) => ({
      name: t.name.slice(prefix.length),
      shape: t.shape,
      values: artefact.values.subarray(t.offset, t.offset + sizeOf(t.shape)),
    })),
  );
}
