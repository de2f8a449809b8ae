/**
 * Loading a compacted policy (masked hidden units physically removed, as EDMSAC's `policy-compact`
 * export is) into the dense DiffusionActor. eps_theta's kept widths are already in `config.hidden`,
 * but the time MLP's hidden width is fixed at 2 x timeEmbedding in DiffusionActor and is narrower in
 * the artefact. Padding that layer back with units of zero weights, held at zero by a keep mask,
 * gives the same function (their outgoing rows are zero, and Mish(0) = 0), so the compacted policy
 * loads, acts and trains on as a masked dense actor.
 */
import { packArtefact, sizeOf, type TensorEntry, tensorOf, type WeightsArtefact } from './nn/artefact.js';

function entry(artefact: WeightsArtefact, name: string): TensorEntry | undefined {
  return artefact.manifest.tensors.find((t) => t.name === name);
}

/** Copies a row-major [rows, cols] matrix into a zeroed [rows2, cols2] one (rows2 >= rows, cols2 >= cols). */
function padMatrix(
  values: Float32Array,
  rows: number,
  cols: number,
  rows2: number,
  cols2: number,
): Float32Array {
  const out = new Float32Array(rows2 * cols2);
  for (let r = 0; r < rows; r++) out.set(values.subarray(r * cols, (r + 1) * cols), r * cols2);
  return out;
}

/**
 * The artefact with its time hidden layer padded to `width` units and keep masks for every hidden
 * layer (the padded units masked), or the artefact itself when that layer already has `width` units
 * (or the shapes are not a compacted policy's: the loader's shape check then reports them).
 */
export function padCompactedTimeLayer(artefact: WeightsArtefact, width: number): WeightsArtefact {
  const kernel0 = entry(artefact, 'time.0.kernel');
  const kernel1 = entry(artefact, 'time.1.kernel');
  if (!kernel0 || !kernel1 || kernel0.shape.length !== 2 || kernel1.shape.length !== 2) return artefact;
  const [embed, kept] = kernel0.shape as [number, number];
  if (kept >= width || kernel1.shape[0] !== kept) return artefact;
  const hiddenBiases: number[] = [];
  for (let l = 0; entry(artefact, `eps.${l + 1}.kernel`); l++) {
    hiddenBiases.push(sizeOf(entry(artefact, `eps.${l}.bias`)?.shape ?? [0]));
  }
  const widths = [kept, ...hiddenBiases];
  const padded = new Map<string, { shape: number[]; values: Float32Array }>([
    [
      'time.0.kernel',
      {
        shape: [embed, width],
        values: padMatrix(tensorOf(artefact, 'time.0.kernel'), embed, kept, embed, width),
      },
    ],
    [
      'time.0.bias',
      { shape: [width], values: padMatrix(tensorOf(artefact, 'time.0.bias', [kept]), 1, kept, 1, width) },
    ],
    [
      'time.1.kernel',
      {
        shape: [width, kernel1.shape[1]!],
        values: padMatrix(
          tensorOf(artefact, 'time.1.kernel'),
          kept,
          kernel1.shape[1]!,
          width,
          kernel1.shape[1]!,
        ),
      },
    ],
  ]);
  const masks = widths.map((w, i) => {
    const keep = entry(artefact, `mask.${i}`)
      ? tensorOf(artefact, `mask.${i}`, [w])
      : new Float32Array(w).fill(1);
    return i === 0 ? padMatrix(keep, 1, w, 1, width) : keep.slice();
  });
  const tensors = artefact.manifest.tensors
    .filter((t) => !t.name.startsWith('mask.'))
    .map((t) => ({
      name: t.name,
      ...(padded.get(t.name) ?? { shape: t.shape, values: tensorOf(artefact, t.name) }),
    }));
  masks.forEach((values, i) => {
    tensors.push({ name: `mask.${i}`, shape: [values.length], values });
  });
  return packArtefact(artefact.manifest.kind, artefact.manifest.config, tensors);
}
