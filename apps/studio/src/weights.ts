/**
 * A policy chosen in the page: `policy.json` (the diffcontract-weights manifest) and `policy.bin`
 * (its float32 values). The same checks as diffusion-actor's loadArtefact, on bytes instead of paths.
 */
import {
  sizeOf,
  WEIGHTS_FORMAT,
  type WeightsArtefact,
  type WeightsManifest,
} from '@diffcontract/diffusion-actor/inference';

/** Largest weights binary accepted (64 MiB): far above any actor this project trains. */
export const MAX_WEIGHTS_BYTES = 64 * 1024 * 1024;

export function parseWeights(
  manifestText: string,
  bytes: ArrayBuffer,
  names = { manifest: 'policy.json', values: 'policy.bin' },
): WeightsArtefact {
  const file = names.manifest;
  let manifest: WeightsManifest;
  try {
    manifest = JSON.parse(manifestText) as WeightsManifest;
  } catch (error) {
    throw new Error(`${file}: invalid JSON: ${(error as Error).message}`);
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest))
    throw new Error(`${file}: must be a weights manifest object`);
  if (manifest.format !== WEIGHTS_FORMAT)
    throw new Error(`${file}: format: expected ${WEIGHTS_FORMAT} (${JSON.stringify(manifest.format)})`);
  if (manifest.version !== 1)
    throw new Error(`${file}: version: unsupported (${JSON.stringify(manifest.version)})`);
  if (manifest.kind !== 'diffusion')
    throw new Error(`${file}: kind: the studio runs diffusion policies (${JSON.stringify(manifest.kind)})`);
  if (!Number.isSafeInteger(manifest.length) || manifest.length < 0)
    throw new Error(`${file}: length: must be a whole number (${JSON.stringify(manifest.length)})`);
  if (!Array.isArray(manifest.tensors)) throw new Error(`${file}: tensors: must be an array`);
  if (bytes.byteLength > MAX_WEIGHTS_BYTES)
    throw new Error(
      `${names.values}: file too large: ${bytes.byteLength} bytes (limit ${MAX_WEIGHTS_BYTES} bytes)`,
    );
  if (bytes.byteLength !== manifest.length * 4)
    throw new Error(
      `${names.values}: expected ${manifest.length * 4} bytes for ${file} (${bytes.byteLength})`,
    );
  manifest.tensors.forEach((t, i) => {
    const shapeOk = Array.isArray(t?.shape) && t.shape.every((d) => Number.isSafeInteger(d) && d >= 0);
    if (
      !shapeOk ||
      !Number.isSafeInteger(t.offset) ||
      t.offset < 0 ||
      t.offset + sizeOf(t.shape) > manifest.length
    )
      throw new Error(`${file}: tensors[${i}]: shape or offset out of range (${JSON.stringify(t?.name)})`);
  });
  // The format fixes little-endian float32, which is what every browser's Float32Array is.
  return { manifest, values: new Float32Array(bytes.slice(0)) };
}
