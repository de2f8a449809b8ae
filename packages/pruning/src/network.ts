import { PruningError } from './errors.js';
import {
  ACTIVATIONS,
  type DenseLayer,
  type LayerArrays,
  type NeuronGroup,
  type PrunableNetwork,
  type PruningMasks,
} from './types.js';

/** Number of neurons in a group (the producer's output width). */
export function groupWidth(network: PrunableNetwork, group: number): number {
  return network.layers[network.groups[group]!.layer]!.outDim;
}

/** Widths of all groups, in `groups` order. */
export function groupWidths(network: PrunableNetwork): number[] {
  return network.groups.map((_, g) => groupWidth(network, g));
}

/**
 * The groups of a plain chain MLP: every layer but the last is a hidden layer read by the next one.
 * Names are `hidden0`, `hidden1`, ... unless the layers are named.
 */
export function chainGroups(layers: readonly DenseLayer[]): NeuronGroup[] {
  const groups: NeuronGroup[] = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    groups.push({
      name: layers[l]!.name ?? `hidden${l}`,
      layer: l,
      consumers: [{ layer: l + 1, rowOffset: 0 }],
    });
  }
  return groups;
}

/** Checks shapes and wiring; throws a one-line PruningError naming the offending field. */
export function validateNetwork(network: PrunableNetwork, path = 'network'): void {
  network.layers.forEach((layer, l) => {
    const at = `${path}.layers[${l}]`;
    for (const dim of ['inDim', 'outDim'] as const) {
      if (!Number.isInteger(layer[dim]) || layer[dim] < 1) {
        throw new PruningError(`${at}.${dim}`, 'must be a positive integer', layer[dim]);
      }
    }
    if (!(layer.kernel instanceof Float32Array) || layer.kernel.length !== layer.inDim * layer.outDim) {
      throw new PruningError(
        `${at}.kernel`,
        `must be a Float32Array of inDim x outDim = ${layer.inDim * layer.outDim} entries`,
        layer.kernel?.length,
      );
    }
    if (!(layer.bias instanceof Float32Array) || layer.bias.length !== layer.outDim) {
      throw new PruningError(
        `${at}.bias`,
        `must be a Float32Array of outDim = ${layer.outDim} entries`,
        layer.bias?.length,
      );
    }
    if (!ACTIVATIONS.includes(layer.activation)) {
      throw new PruningError(
        `${at}.activation`,
        `must be one of ${ACTIVATIONS.join(', ')}`,
        layer.activation,
      );
    }
  });
  const seen = new Set<number>();
  network.groups.forEach((group, g) => {
    const at = `${path}.groups[${g}]`;
    const producer = network.layers[group.layer];
    if (!Number.isInteger(group.layer) || producer === undefined) {
      throw new PruningError(`${at}.layer`, 'must index a layer', group.layer);
    }
    if (seen.has(group.layer))
      throw new PruningError(`${at}.layer`, 'is already used by another group', group.layer);
    seen.add(group.layer);
    if (group.consumers.length === 0) {
      throw new PruningError(`${at}.consumers`, 'must list at least one consuming layer', group.consumers);
    }
    group.consumers.forEach((consumer, c) => {
      const target = network.layers[consumer.layer];
      if (!Number.isInteger(consumer.layer) || target === undefined || consumer.layer === group.layer) {
        throw new PruningError(`${at}.consumers[${c}].layer`, 'must index another layer', consumer.layer);
      }
      if (
        !Number.isInteger(consumer.rowOffset) ||
        consumer.rowOffset < 0 ||
        consumer.rowOffset + producer.outDim > target.inDim
      ) {
        throw new PruningError(
          `${at}.consumers[${c}].rowOffset`,
          `must leave room for ${producer.outDim} rows in a kernel of ${target.inDim} rows`,
          consumer.rowOffset,
        );
      }
    });
  });
}

/** Checks that `masks` has one 0/1 array per group of the right width. */
export function validateMasks(network: PrunableNetwork, masks: PruningMasks, path = 'masks'): void {
  if (masks.length !== network.groups.length) {
    throw new PruningError(path, `must hold one mask per group (${network.groups.length})`, masks.length);
  }
  masks.forEach((mask, g) => {
    const width = groupWidth(network, g);
    if (!(mask instanceof Uint8Array) || mask.length !== width) {
      throw new PruningError(`${path}[${g}]`, `must be a Uint8Array of width ${width}`, mask?.length);
    }
    for (let j = 0; j < width; j++) {
      if (mask[j]! > 1) throw new PruningError(`${path}[${g}][${j}]`, 'must be 0 or 1', mask[j]);
    }
  });
}

/** All-ones masks (nothing pruned). */
export function fullMasks(network: PrunableNetwork): Uint8Array[] {
  return groupWidths(network).map((w) => new Uint8Array(w).fill(1));
}

/** Deep copy of a network (fresh typed arrays, same groups). */
export function cloneNetwork(network: PrunableNetwork): PrunableNetwork {
  return {
    layers: network.layers.map((layer) => ({
      ...layer,
      kernel: layer.kernel.slice(),
      bias: layer.bias.slice(),
    })),
    groups: network.groups,
  };
}

/** Zero arrays shaped like each layer's parameters (e.g. fresh Adam moments). */
export function zerosLike(network: PrunableNetwork): LayerArrays[] {
  return network.layers.map((layer) => ({
    kernel: new Float32Array(layer.kernel.length),
    bias: new Float32Array(layer.bias.length),
  }));
}

/** Total number of weights and biases. */
export function parameterCount(network: Pick<PrunableNetwork, 'layers'>): number {
  let n = 0;
  for (const layer of network.layers) n += layer.kernel.length + layer.bias.length;
  return n;
}
