/**
 * Glue to @diffcontract/diffusion-actor without importing it (it depends on tfjs; this package must
 * not): structural types for its weight artefacts and array layouts matching its public API
 * (`toArtefact()`, `loadWeights()`, `setUnitMasks()`, `variables`). The tensor work (assigning
 * variables, multiplying Adam moments by masks) stays with the caller.
 */
import { PruningError } from './errors.js';
import { entryMasks } from './mask.js';
import { ACTOR_LAYER, diffusionActorNetwork } from './topology.js';
import type { PrunableNetwork, PruningMasks } from './types.js';

/** The shape of diffusion-actor's WeightsArtefact that this glue reads. */
export interface ActorArtefactLike {
  readonly manifest: {
    readonly config: Readonly<Record<string, unknown>>;
    readonly tensors: readonly {
      readonly name: string;
      readonly shape: readonly number[];
      readonly offset: number;
    }[];
  };
  readonly values: Float32Array;
}

/** A named tensor as diffusion-actor's `packArtefact` takes it. */
export interface NamedTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

function configInt(config: Readonly<Record<string, unknown>>, key: string): number {
  const v = config[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new PruningError(`weights.config.${key}`, 'must be a positive integer', v);
  }
  return v;
}

function tensor(artefact: ActorArtefactLike, name: string, shape: readonly number[]): Float32Array {
  const entry = artefact.manifest.tensors.find((t) => t.name === name);
  if (entry === undefined) throw new PruningError('weights.tensors', 'missing tensor', name);
  if (entry.shape.length !== shape.length || entry.shape.some((d, i) => d !== shape[i])) {
    throw new PruningError(`weights.tensors.${name}.shape`, `must be [${shape.join(', ')}]`, entry.shape);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  return artefact.values.subarray(entry.offset, entry.offset + size);
}

/** Artefact tensor names of the actor's layers, in `diffusionActorNetwork` layer order. */
function layerNames(network: PrunableNetwork): string[] {
  return network.layers.map((_, l) => (l < ACTOR_LAYER.main1 ? `time.${l}` : `eps.${l - ACTOR_LAYER.main1}`));
}

/**
 * The actor's weights (from `DiffusionActor.toArtefact()`) as a PrunableNetwork with fresh arrays.
 * Layout: time MLP [E, 2E, E], first layer over [x_t, t_emb, s], `hidden` widths from the config.
 */
export function actorNetworkFromArtefact(
  artefact: ActorArtefactLike,
  options: { pruneTimeOutput?: boolean } = {},
): PrunableNetwork {
  const config = artefact.manifest.config;
  const E = configInt(config, 'timeEmbedding');
  const hidden = config.hidden;
  if (!Array.isArray(hidden))
    throw new PruningError('weights.config.hidden', 'must be an array of widths', hidden);
  const network = diffusionActorNetwork({
    stateDim: configInt(config, 'stateDim'),
    actionDim: configInt(config, 'actionDim'),
    timeEmbedDim: E,
    timeHidden: 2 * E,
    timeOut: E,
    hidden: hidden as number[],
    pruneTimeOutput: options.pruneTimeOutput,
  });
  const names = layerNames(network);
  network.layers.forEach((layer, l) => {
    layer.kernel.set(tensor(artefact, `${names[l]}.kernel`, [layer.inDim, layer.outDim]));
    layer.bias.set(tensor(artefact, `${names[l]}.bias`, [layer.outDim]));
  });
  return network;
}

/**
 * The network's weights as named tensors in the artefact layout (for diffusion-actor's
 * `packArtefact(kind, config, tensors)` and `loadWeights`). Values are views into the network.
 */
export function actorArtefactTensors(network: PrunableNetwork): NamedTensor[] {
  const names = layerNames(network);
  return network.layers.flatMap((layer, l) => [
    { name: `${names[l]}.kernel`, shape: [layer.inDim, layer.outDim], values: layer.kernel },
    { name: `${names[l]}.bias`, shape: [layer.outDim], values: layer.bias },
  ]);
}

/**
 * Masks as `DiffusionActor.setUnitMasks` takes them: one Float32Array of 0/1 per hidden layer, time
 * hidden layer first, then the main MLP's hidden layers. The actor has no gate on its time-MLP
 * output, so a `time.out` group must be unmasked.
 */
export function actorUnitMasks(network: PrunableNetwork, masks: PruningMasks): Float32Array[] {
  const out: Float32Array[] = [];
  network.groups.forEach((group, g) => {
    const mask = masks[g];
    if (mask === undefined) throw new PruningError(`masks[${g}]`, 'is missing', undefined);
    if (group.name === 'time.out') {
      if (mask.includes(0))
        throw new PruningError(`masks[${g}]`, 'time.out cannot be masked in the tfjs actor', group.name);
      return;
    }
    out.push(Float32Array.from(mask));
  });
  return out;
}

/**
 * 0/1 keep values for every entry of every actor variable, in the order of `DiffusionActor.variables`
 * (time MLP kernel/bias pairs, then the first layer split into its x_t, t_emb and s row blocks and its
 * bias, then the other layers' kernel/bias pairs). Multiply the Adam moments (and, for hard masking,
 * the weights) by these, e.g. `m.assign(tf.mul(m, tf.tensor(k.values, k.shape)))`; check each shape
 * against the variable's.
 */
export function actorVariableKeepMasks(network: PrunableNetwork, masks: PruningMasks): NamedTensor[] {
  const keep = entryMasks(network, masks);
  const names = layerNames(network);
  const out: NamedTensor[] = [];
  const actionDim = network.layers[network.layers.length - 1]!.outDim;
  const timeOut = network.layers[ACTOR_LAYER.time2]!.outDim;
  network.layers.forEach((layer, l) => {
    const k = keep[l]!;
    if (l === ACTOR_LAYER.main1) {
      const H = layer.outDim;
      const blocks: [string, number, number][] = [
        ['x', 0, actionDim],
        ['t', actionDim, actionDim + timeOut],
        ['s', actionDim + timeOut, layer.inDim],
      ];
      for (const [part, from, to] of blocks) {
        out.push({
          name: `${names[l]}.kernel.${part}`,
          shape: [to - from, H],
          values: k.kernel.slice(from * H, to * H),
        });
      }
    } else {
      out.push({ name: `${names[l]}.kernel`, shape: [layer.inDim, layer.outDim], values: k.kernel });
    }
    out.push({ name: `${names[l]}.bias`, shape: [layer.outDim], values: k.bias });
  });
  return out;
}
