import { PruningError } from './errors.js';
import { denseForward } from './forward.js';
import type { DenseLayer, NeuronGroup, PrunableNetwork } from './types.js';

/**
 * TEST-ONLY INDEPENDENT REFERENCE of the diffusion actor's layout (excluded from the build, not
 * exported). The actor describes its own prunable units (diffusion-actor's
 * `DiffusionActor.prunableUnits()`, `actorUnitsOfArtefact`), and that description is what training
 * and compaction use; this transcription of model.md lets pruning's tests check masks, compaction
 * and whole chains (test-chain.ts) without tfjs, and checks the actor's description against it.
 *
 * The diffusion actor eps_theta(x_t, t, s) of model.md section 7 as a PrunableNetwork:
 * time MLP  t_emb(16) -> Linear(16, 32) -> Mish -> Linear(32, 16)
 * main MLP  [x_t(A), time(16), s(S)] -> Linear(., 256) -> Mish -> Linear(256, 256) -> Mish -> Linear(256, A).
 * Layers: time.dense1, time.dense2, main.dense1 .. main.denseN (one per hidden width), main.out (last);
 * ACTOR_LAYER names the fixed indices. Kernels are row-major [in x out] like tfjs dense kernels.
 */
export const ACTOR_LAYER = { time1: 0, time2: 1, main1: 2 } as const;

export interface ActorTopologyOptions {
  stateDim: number;
  actionDim: number;
  /** width of the sinusoidal time embedding. Default 16. */
  timeEmbedDim?: number;
  /** hidden width of the time MLP. Default 32. */
  timeHidden?: number;
  /** output width of the time MLP. Default 16. */
  timeOut?: number;
  /** hidden widths of the main MLP. Default [256, 256]. */
  hidden?: readonly number[];
  /**
   * Also make the time MLP's 16 outputs a prunable group (they are hidden units of the whole actor,
   * read by the main MLP's first layer at rows A..A+16). Default false: only the Mish hidden layers
   * (time 32, main 256, main 256) are pruned.
   */
  pruneTimeOutput?: boolean;
}

/**
 * The actor's layers (zero weights, to be filled from the tensor library) and groups, in this order:
 * `time.hidden` (32), `main.hidden1` (256), `main.hidden2` (256), ... and `time.out` (16) last if
 * asked. Without `time.out` this is the order of DiffusionActor.setUnitMasks.
 */
export function diffusionActorNetwork(options: ActorTopologyOptions): PrunableNetwork {
  const { stateDim, actionDim } = options;
  const timeEmbedDim = options.timeEmbedDim ?? 16;
  const timeHidden = options.timeHidden ?? 32;
  const timeOut = options.timeOut ?? 16;
  const hidden = options.hidden ?? [256, 256];
  const dims = { stateDim, actionDim, timeEmbedDim, timeHidden, timeOut };
  for (const [key, value] of Object.entries(dims)) {
    if (!Number.isInteger(value) || value < 1)
      throw new PruningError(`actor.${key}`, 'must be a positive integer', value);
  }
  if (!Array.isArray(hidden) || hidden.length === 0) {
    throw new PruningError('actor.hidden', 'must be a non-empty array of widths', hidden);
  }
  hidden.forEach((h, l) => {
    if (!Number.isInteger(h) || h < 1)
      throw new PruningError(`actor.hidden[${l}]`, 'must be a positive integer', h);
  });
  const dense = (
    name: string,
    inDim: number,
    outDim: number,
    activation: DenseLayer['activation'],
  ): DenseLayer => ({
    name,
    inDim,
    outDim,
    activation,
    kernel: new Float32Array(inDim * outDim),
    bias: new Float32Array(outDim),
  });
  const layers = [
    dense('time.dense1', timeEmbedDim, timeHidden, 'mish'),
    dense('time.dense2', timeHidden, timeOut, 'linear'),
  ];
  let inDim = actionDim + timeOut + stateDim;
  hidden.forEach((h, l) => {
    layers.push(dense(`main.dense${l + 1}`, inDim, h, 'mish'));
    inDim = h;
  });
  layers.push(dense('main.out', inDim, actionDim, 'linear'));
  const groups: NeuronGroup[] = [
    {
      name: 'time.hidden',
      layer: ACTOR_LAYER.time1,
      consumers: [{ layer: ACTOR_LAYER.time2, rowOffset: 0 }],
    },
    ...hidden.map((_, l) => ({
      name: `main.hidden${l + 1}`,
      layer: ACTOR_LAYER.main1 + l,
      consumers: [{ layer: ACTOR_LAYER.main1 + l + 1, rowOffset: 0 }],
    })),
  ];
  if (options.pruneTimeOutput) {
    groups.push({
      name: 'time.out',
      layer: ACTOR_LAYER.time2,
      consumers: [{ layer: ACTOR_LAYER.main1, rowOffset: actionDim }],
    });
  }
  return { layers, groups };
}

/**
 * eps_theta(x_t, t, s) on plain arrays for a network laid out by `diffusionActorNetwork` (dense,
 * masked or compacted). `x` is `[batch x A]`, `state` `[batch x S]`, `timeEmbedding` the sinusoidal
 * embedding `[batch x 16]` or a single row shared by the batch (all samples at the same step).
 */
export function actorEpsForward(
  network: PrunableNetwork,
  x: Float32Array,
  timeEmbedding: Float32Array,
  state: Float32Array,
  batch: number,
): Float32Array {
  const L = network.layers;
  if (L.length < 4) {
    throw new PruningError('network.layers', 'must be laid out by diffusionActorNetwork', L.length);
  }
  const time1 = L[ACTOR_LAYER.time1]!;
  const time2 = L[ACTOR_LAYER.time2]!;
  const main1 = L[ACTOR_LAYER.main1]!;
  const actionDim = L[L.length - 1]!.outDim;
  const timeOut = time2.outDim;
  const stateDim = main1.inDim - actionDim - timeOut;
  if (x.length !== batch * actionDim)
    throw new PruningError('x', `must hold batch x ${actionDim} values`, x.length);
  if (state.length !== batch * stateDim)
    throw new PruningError('state', `must hold batch x ${stateDim} values`, state.length);
  const shared = timeEmbedding.length === time1.inDim;
  if (!shared && timeEmbedding.length !== batch * time1.inDim) {
    throw new PruningError(
      'timeEmbedding',
      `must hold 1 or batch rows of ${time1.inDim} values`,
      timeEmbedding.length,
    );
  }
  const timeRows = shared ? 1 : batch;
  const timeFeatures = denseForward(time2, denseForward(time1, timeEmbedding, timeRows), timeRows);
  const width = main1.inDim;
  const input = new Float32Array(batch * width);
  for (let b = 0; b < batch; b++) {
    const base = b * width;
    input.set(x.subarray(b * actionDim, (b + 1) * actionDim), base);
    const t = shared ? 0 : b;
    input.set(timeFeatures.subarray(t * timeOut, (t + 1) * timeOut), base + actionDim);
    input.set(state.subarray(b * stateDim, (b + 1) * stateDim), base + actionDim + timeOut);
  }
  let h: Float32Array = input;
  for (let l = ACTOR_LAYER.main1; l < L.length; l++) h = denseForward(L[l]!, h, batch);
  return h;
}
