/**
 * The actor's prunable structure as the actor itself describes it, for structured pruning (EDMSAC)
 * and compaction: its dense layers in order, time MLP `time.0` (Mish), `time.1`, then eps_theta's
 * `eps.0` (Mish, one kernel over the concatenated [x_t, t_emb, s]) .. `eps.L` (the output), and one
 * unit group per hidden layer in `setUnitMasks` order, each naming the kernel rows of the layer it
 * feeds. Plain typed arrays, no tfjs: the shapes are those of @diffcontract/pruning's
 * `PrunableNetwork` (structural typing; neither package imports the other), so its strategies and
 * `compactNetwork` take this description as it is. Layer names are the artefact tensor prefixes,
 * which this module alone spells (with actor.ts, infer.ts and compacted.ts, which read artefacts).
 */
import { packArtefact, tensorOf, type WeightsArtefact } from './nn/artefact.js';

/** One dense layer y = act(x W + b); `kernel` row-major `[inDim x outDim]` (tfjs layout). */
export interface ActorLayer {
  readonly name: string;
  readonly inDim: number;
  readonly outDim: number;
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly activation: 'mish' | 'linear';
}

/** The hidden units of layer `layer`; unit j is read by row `rowOffset + j` of each consumer's kernel. */
export interface UnitGroup {
  readonly name: string;
  readonly layer: number;
  readonly consumers: readonly { readonly layer: number; readonly rowOffset: number }[];
}

/** The actor's layers and its prunable unit groups (a `PrunableNetwork` for @diffcontract/pruning). */
export interface ActorUnits {
  readonly layers: readonly ActorLayer[];
  readonly groups: readonly UnitGroup[];
}

/** Index of eps_theta's first layer in the layer list (after the two time-MLP layers). */
const EPS0 = 2;

function layerName(l: number): string {
  return l < EPS0 ? `time.${l}` : `eps.${l - EPS0}`;
}

/** The activation after layer `l` of `count`: Mish on hidden layers, none on time.1 and the output. */
function activationOf(l: number, count: number): ActorLayer['activation'] {
  return l === EPS0 - 1 || l === count - 1 ? 'linear' : 'mish';
}

/**
 * The unit groups of a layer list of `count` layers in the actor's order: the time hidden layer feeds
 * time.1, eps hidden layer l feeds eps.(l + 1), each from row 0. The time MLP's output is not a
 * group: the actor has no gate on it.
 */
function unitGroups(count: number): UnitGroup[] {
  const hidden = [0, ...Array.from({ length: count - EPS0 - 1 }, (_, l) => EPS0 + l)];
  return hidden.map((layer) => ({
    name: layerName(layer),
    layer,
    consumers: [{ layer: layer + 1, rowOffset: 0 }],
  }));
}

/** The description of a layer list in the actor's order (time.0, time.1, eps.0, .., eps.L). */
export function actorUnits(
  layers: readonly { inDim: number; outDim: number; kernel: Float32Array; bias: Float32Array }[],
): ActorUnits {
  return {
    layers: layers.map((l, i) => ({
      name: layerName(i),
      inDim: l.inDim,
      outDim: l.outDim,
      kernel: l.kernel,
      bias: l.bias,
      activation: activationOf(i, layers.length),
    })),
    groups: unitGroups(layers.length),
  };
}

/** Unit group widths of an actor config: the time hidden layer (2 E), then eps_theta's hidden layers. */
export function unitWidths(config: { timeEmbedding: number; hidden: readonly number[] }): number[] {
  return [2 * config.timeEmbedding, ...config.hidden];
}

/** Checks one keep mask per unit group of the given widths (the message names the mask). */
export function checkUnitMasks(masks: readonly ArrayLike<number>[], widths: readonly number[]): void {
  if (masks.length !== widths.length)
    throw new Error(`masks: expected ${widths.length} arrays (${masks.length})`);
  masks.forEach((m, i) => {
    if (m.length !== widths[i]) throw new Error(`masks[${i}]: expected ${widths[i]} entries (${m.length})`);
  });
}

/**
 * 0/1 per kernel and bias entry of each of the actor's layers (1 keep), for keep masks of its unit
 * groups: an entry is 0 when it belongs to a masked unit (its incoming kernel column, its bias, or
 * its row in the kernel it feeds).
 */
export function layerKeepValues(
  layers: readonly { inDim: number; outDim: number }[],
  masks: readonly ArrayLike<number>[],
): { kernel: Float32Array; bias: Float32Array }[] {
  const groups = unitGroups(layers.length);
  checkUnitMasks(
    masks,
    groups.map((g) => layers[g.layer]!.outDim),
  );
  const rows = layers.map((l) => new Float32Array(l.inDim).fill(1));
  const cols = layers.map((l) => new Float32Array(l.outDim).fill(1));
  groups.forEach((group, g) => {
    const keep = Float32Array.from(masks[g]!, (v) => (v === 0 ? 0 : 1));
    cols[group.layer] = keep;
    for (const c of group.consumers) rows[c.layer]!.set(keep, c.rowOffset);
  });
  return layers.map((layer, l) => {
    const kernel = new Float32Array(layer.inDim * layer.outDim);
    rows[l]!.forEach((r, i) => {
      if (r !== 0) kernel.set(cols[l]!, i * layer.outDim);
    });
    return { kernel, bias: cols[l]! };
  });
}

/** The layers as named tensors in the artefact order (`<layer>.kernel`, `<layer>.bias`), values as given. */
export function layerTensors(
  layers: readonly Pick<ActorLayer, 'inDim' | 'outDim' | 'kernel' | 'bias'>[],
): { name: string; shape: number[]; values: Float32Array }[] {
  return layers.flatMap((layer, l) => [
    { name: `${layerName(l)}.kernel`, shape: [layer.inDim, layer.outDim], values: layer.kernel },
    { name: `${layerName(l)}.bias`, shape: [layer.outDim], values: layer.bias },
  ]);
}

function shapeOf(artefact: WeightsArtefact, name: string): number[] | undefined {
  return artefact.manifest.tensors.find((t) => t.name === name)?.shape;
}

/**
 * A saved policy (`DiffusionActor.toArtefact()`, dense, masked or compacted) as its unit description
 * with fresh arrays, and its keep masks (`null` when it carries none). Widths come from the tensor
 * shapes; a layer that does not read its predecessor's width is an error naming the tensor.
 */
export function actorUnitsOfArtefact(artefact: WeightsArtefact): ActorUnits & { masks: Uint8Array[] | null } {
  const names = artefact.manifest.tensors.map((t) => t.name);
  const count = EPS0 + names.filter((n) => /^eps\.\d+\.kernel$/.test(n)).length;
  const layers = Array.from({ length: count }, (_, l) => {
    const name = `${layerName(l)}.kernel`;
    const shape = shapeOf(artefact, name);
    if (shape?.length !== 2) throw new Error(`weights: tensors.${name}: missing or not a matrix`);
    const [inDim, outDim] = shape as [number, number];
    return {
      inDim,
      outDim,
      kernel: tensorOf(artefact, name).slice(),
      bias: tensorOf(artefact, `${layerName(l)}.bias`, [outDim]).slice(),
    };
  });
  const units = actorUnits(layers);
  const config = artefact.manifest.config;
  const first = Number(config.actionDim) + layers[1]!.outDim + Number(config.stateDim);
  layers.forEach((layer, l) => {
    const expected = l === 0 ? layer.inDim : l === EPS0 ? first : layers[l - 1]!.outDim;
    if (layer.inDim !== expected)
      throw new Error(`weights: tensors.${layerName(l)}.kernel: expected ${expected} rows (${layer.inDim})`);
  });
  if (!names.includes('mask.0')) return { ...units, masks: null };
  const masks = units.groups.map((g, i) =>
    Uint8Array.from(tensorOf(artefact, `mask.${i}`, [units.layers[g.layer]!.outDim]), (v) =>
      v === 0 ? 0 : 1,
    ),
  );
  return { ...units, masks };
}

/**
 * The policy `artefact` with the layers of `units` (e.g. @diffcontract/pruning's `compactNetwork` of
 * `actorUnitsOfArtefact(artefact)`: masked units removed) and no masks: the `policy-compact` export.
 * `config.hidden` becomes eps_theta's new hidden widths; the time MLP's width is read from the shapes.
 */
export function compactedArtefact(
  artefact: WeightsArtefact,
  units: { readonly layers: readonly Pick<ActorLayer, 'inDim' | 'outDim' | 'kernel' | 'bias'>[] },
): WeightsArtefact {
  const hidden = units.layers.slice(EPS0, -1).map((l) => l.outDim);
  return packArtefact(
    artefact.manifest.kind,
    { ...artefact.manifest.config, hidden },
    layerTensors(units.layers),
  );
}
