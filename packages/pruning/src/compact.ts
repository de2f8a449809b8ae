import { PruningError } from './errors.js';
import { parameterCount, validateMasks, validateNetwork } from './network.js';
import type { Activation, DenseLayer, NeuronGroup, PrunableNetwork, PruningMasks } from './types.js';

/**
 * FLOPs charged per output element for each activation. Convention: a nonlinear activation counts
 * as 1 FLOP per element (whatever its internal cost), 'linear' as 0.
 */
export const DEFAULT_ACTIVATION_FLOPS: Readonly<Record<Activation, number>> = {
  linear: 0,
  mish: 1,
  relu: 1,
  tanh: 1,
};

export interface FlopOptions {
  /** override the per-element cost of some activations */
  activationFlops?: Partial<Record<Activation, number>>;
}

/**
 * FLOPs of one forward pass of one sample through `layers` (for the diffusion actor: one denoising
 * step's network evaluation). Convention: a dense layer costs 2 x in x out (in multiplies and in adds
 * per output, the bias add included), plus its activation cost x out (DEFAULT_ACTIVATION_FLOPS).
 * Work outside the layers (time embedding, the DDPM update) is not included; add it if it matters.
 */
export function networkFlops(
  layers: readonly Pick<DenseLayer, 'inDim' | 'outDim' | 'activation'>[],
  options: FlopOptions = {},
): number {
  const cost = { ...DEFAULT_ACTIVATION_FLOPS, ...options.activationFlops };
  let flops = 0;
  for (const layer of layers) flops += 2 * layer.inDim * layer.outDim + cost[layer.activation] * layer.outDim;
  return flops;
}

export interface CompactionResult {
  /** the physically smaller network; groups keep their names and layer indices, widths shrink */
  network: PrunableNetwork;
  /** for each group, the original indices of the neurons kept, ascending */
  kept: Int32Array[];
  /** for each layer, the original indices of the kernel rows kept (inputs), ascending */
  keptInputs: Int32Array[];
  flops: { before: number; after: number };
  parameters: { before: number; after: number };
}

function indicesWhere(n: number, keep: (i: number) => boolean): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep(i)) out.push(i);
  return Int32Array.from(out);
}

/**
 * Removes masked neurons physically: their kernel columns and biases in the producing layer and their
 * rows in every consumer. The result computes exactly what the masked network computes (a masked
 * neuron outputs act(0) = 0 through zero outgoing weights, so dropping it only drops exact-zero terms),
 * whether or not `network`'s masked entries have already been zeroed.
 *
 * Groups whose outputs feed a concatenated input (rowOffset > 0) keep working: the caller feeds the
 * compacted layer the concatenation of the compacted parts, and `keptInputs` tells which original
 * input positions each layer still reads (e.g. the state entries of the actor's first layer are all kept).
 */
export function compactNetwork(
  network: PrunableNetwork,
  masks: PruningMasks,
  options: FlopOptions = {},
): CompactionResult {
  validateNetwork(network);
  validateMasks(network, masks);
  const nLayers = network.layers.length;
  const colKeep: (Uint8Array | undefined)[] = new Array(nLayers).fill(undefined);
  const rowDrop: Uint8Array[] = network.layers.map((l) => new Uint8Array(l.inDim));
  network.groups.forEach((group, g) => {
    const mask = masks[g]!;
    colKeep[group.layer] = mask;
    for (const consumer of group.consumers) {
      for (let j = 0; j < mask.length; j++)
        if (mask[j] === 0) rowDrop[consumer.layer]![consumer.rowOffset + j] = 1;
    }
  });
  const keptInputs = network.layers.map((l, i) => indicesWhere(l.inDim, (r) => rowDrop[i]![r] === 0));
  const keptOutputs = network.layers.map((l, i) => indicesWhere(l.outDim, (c) => colKeep[i]?.[c] !== 0));
  const layers: DenseLayer[] = network.layers.map((layer, l) => {
    const rows = keptInputs[l]!;
    const cols = keptOutputs[l]!;
    if (rows.length === 0 || cols.length === 0) {
      throw new PruningError(`masks`, `would leave layer ${l} without inputs or outputs`, layer.name ?? l);
    }
    const kernel = new Float32Array(rows.length * cols.length);
    for (let r = 0; r < rows.length; r++) {
      const src = rows[r]! * layer.outDim;
      const dst = r * cols.length;
      for (let c = 0; c < cols.length; c++) kernel[dst + c] = layer.kernel[src + cols[c]!]!;
    }
    const bias = new Float32Array(cols.length);
    for (let c = 0; c < cols.length; c++) bias[c] = layer.bias[cols[c]!]!;
    return { ...layer, inDim: rows.length, outDim: cols.length, kernel, bias };
  });
  const groups: NeuronGroup[] = network.groups.map((group) => ({
    name: group.name,
    layer: group.layer,
    consumers: group.consumers.map((consumer) => {
      // rows before the group's block that survive give its new offset
      const before = rowDrop[consumer.layer]!.subarray(0, consumer.rowOffset);
      let dropped = 0;
      for (const d of before) dropped += d;
      return { layer: consumer.layer, rowOffset: consumer.rowOffset - dropped };
    }),
  }));
  const compacted: PrunableNetwork = { layers, groups };
  return {
    network: compacted,
    kept: network.groups.map((group) => keptOutputs[group.layer]!),
    keptInputs,
    flops: { before: networkFlops(network.layers, options), after: networkFlops(layers, options) },
    parameters: { before: parameterCount(network), after: parameterCount(compacted) },
  };
}
