/**
 * Layer and network descriptions shared by every module of this package. Everything is plain typed
 * arrays so the package works with any tensor library (the tfjs glue copies variables in and out).
 */

/** Activation applied to a dense layer's output. Every one of them maps 0 to 0, which pruning relies on. */
export type Activation = 'linear' | 'mish' | 'relu' | 'tanh';

export const ACTIVATIONS: readonly Activation[] = ['linear', 'mish', 'relu', 'tanh'];

/**
 * One fully connected layer, y = act(x W + b).
 *
 * `kernel` is row-major `[inDim x outDim]` exactly like a tfjs dense kernel (`kernel[i * outDim + j]`
 * is the weight from input i to output j), `bias` is `[outDim]`. A neuron (output unit j) therefore
 * owns column j of its kernel and `bias[j]`.
 */
export interface DenseLayer {
  /** free-form label, e.g. `main.dense1`; carried through compaction */
  readonly name?: string;
  readonly inDim: number;
  readonly outDim: number;
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly activation: Activation;
}

/** Where a group's outputs are read: rows `[rowOffset, rowOffset + width)` of a consumer's kernel. */
export interface NeuronConsumer {
  /** index of the consuming layer in `PrunableNetwork.layers` */
  readonly layer: number;
  /** first kernel row fed by the group (non-zero when the group is one part of a concatenated input) */
  readonly rowOffset: number;
}

/**
 * A prunable set of hidden neurons: the outputs of layer `layer`, read by `consumers`. Pruning neuron
 * j zeroes column j of the producer's kernel, `bias[j]`, and row `rowOffset + j` of every consumer's
 * kernel (its outgoing weights).
 */
export interface NeuronGroup {
  readonly name: string;
  readonly layer: number;
  readonly consumers: readonly NeuronConsumer[];
}

/**
 * A network as a list of dense layers plus the neuron groups that may be pruned. The layer list does
 * not have to be one chain (the diffusion actor has a time MLP whose output joins the main MLP's
 * input); `groups` carry the wiring pruning needs. Output layers are simply not in any group.
 */
export interface PrunableNetwork {
  readonly layers: readonly DenseLayer[];
  readonly groups: readonly NeuronGroup[];
}

/**
 * One keep-mask per group, in `groups` order: `masks[g][j]` is 1 when neuron j of group g is active
 * and 0 when it is pruned.
 */
export type PruningMasks = readonly Uint8Array[];

/** Arrays shaped like a layer's parameters: Adam moments, gradients, a shadow copy. */
export interface LayerArrays {
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
}
