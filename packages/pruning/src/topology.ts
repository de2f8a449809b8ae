import { PruningError } from './errors.js';
import { denseForward } from './forward.js';
import type { DenseLayer, NeuronGroup, PrunableNetwork } from './types.js';

/**
 * The diffusion actor eps_theta(x_t, t, s) of model.md section 7 as a PrunableNetwork:
 * time MLP  t_emb(16) -> Linear(16, 32) -> Mish -> Linear(32, 16)
 * main MLP  [x_t(A), time(16), s(S)] -> Linear(., 256) -> Mish -> Linear(256, 256) -> Mish -> Linear(256, A).
 * Layers are in the order of ACTOR_LAYER; all kernels row-major [in x out] like tfjs dense kernels.
 */
export const ACTOR_LAYER = { time1: 0, time2: 1, main1: 2, main2: 3, out: 4 } as const;

export interface ActorTopologyOptions {
  stateDim: number;
  actionDim: number;
  /** width of the sinusoidal time embedding. Default 16. */
  timeEmbedDim?: number;
  /** hidden width of the time MLP. Default 32. */
  timeHidden?: number;
  /** output width of the time MLP. Default 16. */
  timeOut?: number;
  /** width of the two hidden layers of the main MLP. Default 256. */
  hidden?: number;
  /**
   * Also make the time MLP's 16 outputs a prunable group (they are hidden units of the whole actor,
   * read by the main MLP's first layer at rows A..A+16). Default false: only the Mish hidden layers
   * (time 32, main 256, main 256) are pruned.
   */
  pruneTimeOutput?: boolean;
}

/**
 * The actor's layers (zero weights, to be filled from the tensor library) and groups:
 * `time.hidden` (32), `main.hidden1` (256), `main.hidden2` (256), and `time.out` (16) if asked.
 */
export function diffusionActorNetwork(options: ActorTopologyOptions): PrunableNetwork {
  const { stateDim, actionDim } = options;
  const timeEmbedDim = options.timeEmbedDim ?? 16;
  const timeHidden = options.timeHidden ?? 32;
  const timeOut = options.timeOut ?? 16;
  const hidden = options.hidden ?? 256;
  const dims = { stateDim, actionDim, timeEmbedDim, timeHidden, timeOut, hidden };
  for (const [key, value] of Object.entries(dims)) {
    if (!Number.isInteger(value) || value < 1)
      throw new PruningError(`actor.${key}`, 'must be a positive integer', value);
  }
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
    dense('main.dense1', actionDim + timeOut + stateDim, hidden, 'mish'),
    dense('main.dense2', hidden, hidden, 'mish'),
    dense('main.out', hidden, actionDim, 'linear'),
  ];
  const groups: NeuronGroup[] = [
    {
      name: 'time.hidden',
      layer: ACTOR_LAYER.time1,
      consumers: [{ layer: ACTOR_LAYER.time2, rowOffset: 0 }],
    },
    {
      name: 'main.hidden1',
      layer: ACTOR_LAYER.main1,
      consumers: [{ layer: ACTOR_LAYER.main2, rowOffset: 0 }],
    },
    { name: 'main.hidden2', layer: ACTOR_LAYER.main2, consumers: [{ layer: ACTOR_LAYER.out, rowOffset: 0 }] },
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
  if (L.length !== 5)
    throw new PruningError('network.layers', 'must be the 5 layers of diffusionActorNetwork', L.length);
  const time1 = L[ACTOR_LAYER.time1]!;
  const time2 = L[ACTOR_LAYER.time2]!;
  const main1 = L[ACTOR_LAYER.main1]!;
  const actionDim = L[ACTOR_LAYER.out]!.outDim;
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
  let h = denseForward(main1, input, batch);
  h = denseForward(L[ACTOR_LAYER.main2]!, h, batch);
  return denseForward(L[ACTOR_LAYER.out]!, h, batch);
}
