import { PruningError } from './errors.js';
import { fullMasks, validateMasks, validateNetwork } from './network.js';
import type { LayerArrays, PrunableNetwork, PruningMasks } from './types.js';

/**
 * Expands neuron masks to one 0/1 value per weight and bias (1 = keep), shaped like the layers. An
 * entry is 0 when it belongs to a masked neuron: its incoming kernel column, its bias, or its outgoing
 * kernel row in a consumer. Multiplying parameters, Adam moments or gradients by these arrays applies
 * the masks; a tensor library can turn them into tensors once per recomputation.
 */
export function entryMasks(network: PrunableNetwork, masks: PruningMasks): LayerArrays[] {
  validateMasks(network, masks);
  const keep = network.layers.map((layer) => ({
    kernel: new Float32Array(layer.kernel.length).fill(1),
    bias: new Float32Array(layer.bias.length).fill(1),
  }));
  network.groups.forEach((group, g) => {
    const mask = masks[g]!;
    const producer = network.layers[group.layer]!;
    const out = producer.outDim;
    const pk = keep[group.layer]!;
    for (let j = 0; j < out; j++) {
      if (mask[j] !== 0) continue;
      pk.bias[j] = 0;
      for (let i = 0; i < producer.inDim; i++) pk.kernel[i * out + j] = 0;
      for (const consumer of group.consumers) {
        const width = network.layers[consumer.layer]!.outDim;
        const start = (consumer.rowOffset + j) * width;
        keep[consumer.layer]!.kernel.fill(0, start, start + width);
      }
    }
  });
  return keep;
}

function multiplyInPlace(target: Float32Array, keep: Float32Array): void {
  for (let e = 0; e < target.length; e++) if (keep[e] === 0) target[e] = 0;
}

function checkShapes(network: PrunableNetwork, arrays: readonly LayerArrays[], path: string): void {
  if (arrays.length !== network.layers.length) {
    throw new PruningError(path, `must hold one entry per layer (${network.layers.length})`, arrays.length);
  }
  arrays.forEach((a, l) => {
    const layer = network.layers[l]!;
    if (a.kernel.length !== layer.kernel.length) {
      throw new PruningError(
        `${path}[${l}].kernel`,
        `must have ${layer.kernel.length} entries`,
        a.kernel.length,
      );
    }
    if (a.bias.length !== layer.bias.length) {
      throw new PruningError(`${path}[${l}].bias`, `must have ${layer.bias.length} entries`, a.bias.length);
    }
  });
}

/** Sets to 0 every entry of `arrays` (parameters, moments, gradients) that `keep` marks 0. */
export function zeroMaskedEntries(arrays: readonly LayerArrays[], keep: readonly LayerArrays[]): void {
  arrays.forEach((a, l) => {
    multiplyInPlace(a.kernel, keep[l]!.kernel);
    multiplyInPlace(a.bias, keep[l]!.bias);
  });
}

export interface ApplyMasksOptions {
  /**
   * Optimizer state shaped like the parameters (Adam's first and second moments), zeroed at the same
   * entries. Why it matters: with a masked neuron's incoming weights, bias and outgoing weights all 0,
   * its output is Mish(0) = 0 and every one of those weights gets an exactly-zero gradient; Adam then
   * moves a weight only through its stored moments, so zero moments keep masked weights at exactly 0
   * until the next recomputation. (Zeroing the bias matters: a bias-only neuron outputs Mish(b) != 0,
   * which would feed a non-zero gradient to its outgoing weights.)
   */
  moments?: readonly (readonly LayerArrays[])[];
}

/**
 * Stateless masking: zeroes the masked neurons' weights (incoming column, bias, outgoing rows) in
 * `network`, and the same entries of `options.moments`. Apply it to the actor and, with the same
 * masks, to its target copy. It forgets the zeroed values: a neuron unmasked later restarts from all
 * zero weights, which is a fixed point of gradient descent (it never learns again). For dynamic
 * pruning use `MaskedNetwork`, which keeps them.
 */
export function applyMasks(
  network: PrunableNetwork,
  masks: PruningMasks,
  options: ApplyMasksOptions = {},
): void {
  const keep = entryMasks(network, masks);
  zeroMaskedEntries(network.layers, keep);
  options.moments?.forEach((m, k) => {
    checkShapes(network, m, `moments[${k}]`);
    zeroMaskedEntries(m, keep);
  });
}

/** Number of entries that `masks` says must be 0 but are not (0 for a correctly masked network). */
export function countMaskViolations(network: PrunableNetwork, masks: PruningMasks): number {
  const keep = entryMasks(network, masks);
  let n = 0;
  network.layers.forEach((layer, l) => {
    const k = keep[l]!;
    for (let e = 0; e < layer.kernel.length; e++) if (k.kernel[e] === 0 && layer.kernel[e] !== 0) n++;
    for (let e = 0; e < layer.bias.length; e++) if (k.bias[e] === 0 && layer.bias[e] !== 0) n++;
  });
  return n;
}

/** What one `MaskedNetwork.apply` changed, per group. */
export interface MaskChange {
  /** neurons masked after the call */
  pruned: number[];
  /** neurons masked now that were active before */
  newlyPruned: number[];
  /** neurons active now that were masked before (their weights were restored) */
  restored: number[];
}

/**
 * Dynamic masking of one network (the actor, or its target: one MaskedNetwork each, same masks).
 *
 * It keeps a shadow copy of every parameter. Entries that are not masked follow the live network (the
 * shadow is refreshed from it at each call); masked entries keep the value they had when their neuron
 * was masked. A neuron that returns gets those weights back (and fresh, zero Adam moments), instead of
 * the all-zero weights it could never escape.
 *
 * The live arrays are the ones in `network` and are changed in place; a tensor-library glue copies its
 * variables into them before `apply` / `dense` and back after `apply`.
 */
export class MaskedNetwork {
  readonly network: PrunableNetwork;
  private readonly shadow: LayerArrays[];
  private keep: LayerArrays[] | undefined;
  private current: Uint8Array[];

  constructor(network: PrunableNetwork) {
    validateNetwork(network);
    this.network = network;
    this.shadow = network.layers.map((l) => ({ kernel: l.kernel.slice(), bias: l.bias.slice() }));
    this.current = fullMasks(network);
  }

  /** The masks in force (all ones before the first `apply`). */
  get masks(): PruningMasks {
    return this.current;
  }

  /**
   * The network as if nothing were masked: live values where active, the remembered values where
   * masked. Score magnitudes on this view so that masked neurons keep a meaningful score. The returned
   * arrays are internal: read, don't write.
   */
  dense(): PrunableNetwork {
    this.sync();
    return {
      groups: this.network.groups,
      layers: this.network.layers.map((layer, l) => ({
        ...layer,
        kernel: this.shadow[l]!.kernel,
        bias: this.shadow[l]!.bias,
      })),
    };
  }

  /**
   * Switches to `masks`: restores the remembered weights of neurons that come back, zeroes the
   * weights of masked neurons, and zeroes `options.moments` at every entry masked before or after
   * (restored weights restart with fresh moments).
   */
  apply(masks: PruningMasks, options: ApplyMasksOptions = {}): MaskChange {
    validateMasks(this.network, masks);
    this.sync();
    const keep = entryMasks(this.network, masks);
    this.network.layers.forEach((layer, l) => {
      const k = keep[l]!;
      const s = this.shadow[l]!;
      for (let e = 0; e < layer.kernel.length; e++) layer.kernel[e] = k.kernel[e] === 0 ? 0 : s.kernel[e]!;
      for (let e = 0; e < layer.bias.length; e++) layer.bias[e] = k.bias[e] === 0 ? 0 : s.bias[e]!;
    });
    options.moments?.forEach((m, idx) => {
      checkShapes(this.network, m, `moments[${idx}]`);
      zeroMaskedEntries(m, keep);
      if (this.keep !== undefined) zeroMaskedEntries(m, this.keep);
    });
    const change: MaskChange = { pruned: [], newlyPruned: [], restored: [] };
    masks.forEach((mask, g) => {
      const before = this.current[g]!;
      let pruned = 0;
      let newly = 0;
      let restored = 0;
      for (let j = 0; j < mask.length; j++) {
        if (mask[j] === 0) {
          pruned++;
          if (before[j] === 1) newly++;
        } else if (before[j] === 0) restored++;
      }
      change.pruned.push(pruned);
      change.newlyPruned.push(newly);
      change.restored.push(restored);
    });
    this.current = masks.map((m) => m.slice());
    this.keep = keep;
    return change;
  }

  /** Copies live values into the shadow wherever the current masks leave them active. */
  private sync(): void {
    this.network.layers.forEach((layer, l) => {
      const s = this.shadow[l]!;
      const k = this.keep?.[l];
      if (k === undefined) {
        s.kernel.set(layer.kernel);
        s.bias.set(layer.bias);
        return;
      }
      for (let e = 0; e < layer.kernel.length; e++) if (k.kernel[e] !== 0) s.kernel[e] = layer.kernel[e]!;
      for (let e = 0; e < layer.bias.length; e++) if (k.bias[e] !== 0) s.bias[e] = layer.bias[e]!;
    });
  }
}
