import { PruningError } from './errors.js';
import type { PrunableNetwork, PruningMasks } from './types.js';

export type MagnitudeNorm = 'l1' | 'l2';

export interface MagnitudeOptions {
  /** 'l1': sum of |w|; 'l2': sqrt of sum of w^2. Default 'l2'. */
  norm?: MagnitudeNorm;
  /** count the neuron's bias among its incoming weights. Default true. */
  includeBias?: boolean;
}

/**
 * Weight-magnitude importance of every neuron: the L1 or L2 norm of all the weights the neuron owns,
 * i.e. its incoming kernel column (and bias) together with its outgoing kernel rows in every consumer,
 * as one vector. A neuron whose weights are all small contributes little to the next layer's input
 * and receives little from the previous one. Returns one Float64Array per group.
 */
export function magnitudeScores(network: PrunableNetwork, options: MagnitudeOptions = {}): Float64Array[] {
  const l1 = (options.norm ?? 'l2') === 'l1';
  const includeBias = options.includeBias ?? true;
  const term = l1 ? Math.abs : (w: number) => w * w;
  return network.groups.map((group) => {
    const producer = network.layers[group.layer]!;
    const width = producer.outDim;
    const score = new Float64Array(width);
    // incoming: column j of a row-major [in x out] kernel
    for (let i = 0; i < producer.inDim; i++) {
      const row = i * width;
      for (let j = 0; j < width; j++) score[j]! += term(producer.kernel[row + j]!);
    }
    if (includeBias) for (let j = 0; j < width; j++) score[j]! += term(producer.bias[j]!);
    // outgoing: row rowOffset + j of each consumer kernel
    for (const consumer of group.consumers) {
      const target = network.layers[consumer.layer]!;
      for (let j = 0; j < width; j++) {
        const start = (consumer.rowOffset + j) * target.outDim;
        let s = 0;
        for (let k = 0; k < target.outDim; k++) s += term(target.kernel[start + k]!);
        score[j]! += s;
      }
    }
    if (!l1) for (let j = 0; j < width; j++) score[j] = Math.sqrt(score[j]!);
    return score;
  });
}

/**
 * How one batch's activation x gradient products become one number per neuron:
 * - 'meanAbs': mean over the batch of |a_bj g_bj| (per-sample first-order estimate of the loss change
 *   from removing the neuron, then its magnitude averaged);
 * - 'absMean': |mean over the batch of a_bj g_bj| (Molchanov et al. 2017; equals |dL/dgate| / batch
 *   for a multiplicative gate of ones, which is what a tensor library gives cheaply).
 */
export type TaylorReduction = 'meanAbs' | 'absMean';

interface TaylorGroupState {
  readonly sum: Float64Array;
  readonly count: Uint32Array;
  readonly estimate: Float64Array;
}

/** TaylorAccumulator state as JSON-safe arrays (TaylorAccumulator.snapshot). */
export interface TaylorSnapshot {
  groups: ({ sum: number[]; count: number[]; estimate: number[] } | null)[];
  masks: number[][] | null;
}

/**
 * First-order Taylor importance, accumulated per batch: |activation x gradient| averaged over the
 * batches seen since the last `endWindow()` (the "recent batches"; one window per recomputation).
 * A group's width is fixed by the first batch fed to it.
 *
 * A masked neuron's activation is exactly 0, so measuring it would only tell that removing it again
 * costs nothing and it could never come back. Masked neurons are therefore not measured (pass the
 * current masks with `setMasks`): their score stays the estimate from their last window as an active
 * neuron, and they return when the active neurons' fresh scores fall below it.
 */
export class TaylorAccumulator {
  readonly reduction: TaylorReduction;
  private readonly groups: (TaylorGroupState | undefined)[] = [];
  private masks: PruningMasks | undefined;

  constructor(reduction: TaylorReduction = 'meanAbs') {
    if (reduction !== 'meanAbs' && reduction !== 'absMean') {
      throw new PruningError('taylorReduction', "must be 'meanAbs' or 'absMean'", reduction);
    }
    this.reduction = reduction;
  }

  /** Neurons with mask 0 are skipped by later `accumulate` calls until the masks change. */
  setMasks(masks: PruningMasks | undefined): void {
    masks?.forEach((m, g) => {
      const state = this.groups[g];
      if (state !== undefined && m.length !== state.sum.length) {
        throw new PruningError(`masks[${g}]`, `must have width ${state.sum.length}`, m.length);
      }
    });
    this.masks = masks;
  }

  /**
   * One batch of group `group`: `activations` are the neurons' outputs (after the activation function)
   * and `gradients` the loss gradients with respect to those outputs, both `[batch x width]` row-major.
   * A layer used several times per sample (the T denoising steps) can be passed as batch x T rows.
   */
  accumulate(group: number, activations: Float32Array, gradients: Float32Array, batch: number): void {
    if (!Number.isInteger(batch) || batch < 1)
      throw new PruningError('batch', 'must be a positive integer', batch);
    const width = activations.length / batch;
    if (!Number.isInteger(width) || width < 1) {
      throw new PruningError(
        'activations',
        `must hold batch x width values for batch ${batch}`,
        activations.length,
      );
    }
    if (gradients.length !== activations.length) {
      throw new PruningError(
        'gradients',
        `must hold as many values as activations (${activations.length})`,
        gradients.length,
      );
    }
    const perNeuron = new Float64Array(width);
    const meanAbs = this.reduction === 'meanAbs';
    for (let b = 0; b < batch; b++) {
      const base = b * width;
      for (let j = 0; j < width; j++) {
        const p = activations[base + j]! * gradients[base + j]!;
        perNeuron[j]! += meanAbs ? Math.abs(p) : p;
      }
    }
    for (let j = 0; j < width; j++) perNeuron[j] = Math.abs(perNeuron[j]!) / batch;
    this.accumulateReduced(group, perNeuron);
  }

  /** One batch's already reduced per-neuron importance (e.g. |dL/dgate| / batch from a tensor library). */
  accumulateReduced(group: number, values: ArrayLike<number>): void {
    const state = this.state(group, values.length);
    const mask = this.masks?.[group];
    for (let j = 0; j < values.length; j++) {
      if (mask !== undefined && mask[j] === 0) continue;
      const v = values[j]!;
      if (Number.isNaN(v)) throw new PruningError(`values[${j}]`, 'must be a number', v);
      state.sum[j]! += v;
      state.count[j]! += 1;
    }
  }

  /** Batches measured for each neuron of a group in the current window (empty if never fed). */
  batchCounts(group: number): Uint32Array {
    return this.groups[group]?.count.slice() ?? new Uint32Array(0);
  }

  /**
   * Current scores for groups of the given widths: the window mean for neurons measured in this
   * window, else their last window's estimate (0 for a neuron never measured).
   */
  scores(widths: readonly number[]): Float64Array[] {
    return widths.map((w, g) => {
      const state = this.groups[g];
      const out = new Float64Array(w);
      if (state === undefined) return out;
      if (state.sum.length !== w) throw new PruningError(`widths[${g}]`, `must be ${state.sum.length}`, w);
      for (let j = 0; j < w; j++) {
        const n = state.count[j]!;
        out[j] = n > 0 ? state.sum[j]! / n : state.estimate[j]!;
      }
      return out;
    });
  }

  /**
   * Everything the accumulator holds (window sums and counts, standing estimates, masks) as plain
   * JSON-safe numbers, for checkpoints; `restore` puts it back exactly (doubles survive JSON).
   */
  snapshot(): TaylorSnapshot {
    return {
      groups: this.groups.map((g) =>
        g === undefined
          ? null
          : { sum: Array.from(g.sum), count: Array.from(g.count), estimate: Array.from(g.estimate) },
      ),
      masks: this.masks?.map((m) => Array.from(m)) ?? null,
    };
  }

  restore(snapshot: TaylorSnapshot): void {
    this.groups.length = 0;
    snapshot.groups.forEach((g, i) => {
      this.groups[i] =
        g === null
          ? undefined
          : {
              sum: Float64Array.from(g.sum),
              count: Uint32Array.from(g.count),
              estimate: Float64Array.from(g.estimate),
            };
    });
    this.masks = snapshot.masks?.map((m) => Uint8Array.from(m));
  }

  /** Closes the window: its means become the neurons' standing estimates and the sums restart. */
  endWindow(): void {
    for (const state of this.groups) {
      if (state === undefined) continue;
      for (let j = 0; j < state.sum.length; j++) {
        if (state.count[j]! > 0) state.estimate[j] = state.sum[j]! / state.count[j]!;
      }
      state.sum.fill(0);
      state.count.fill(0);
    }
  }

  private state(group: number, width: number): TaylorGroupState {
    if (!Number.isInteger(group) || group < 0)
      throw new PruningError('group', 'must be a group index', group);
    let state = this.groups[group];
    if (state === undefined) {
      const maskWidth = this.masks?.[group]?.length;
      if (maskWidth !== undefined && maskWidth !== width) {
        throw new PruningError('activations', `must have width ${maskWidth}`, width);
      }
      state = {
        sum: new Float64Array(width),
        count: new Uint32Array(width),
        estimate: new Float64Array(width),
      };
      this.groups[group] = state;
    } else if (state.sum.length !== width) {
      throw new PruningError('activations', `must have width ${state.sum.length}`, width);
    }
    return state;
  }
}
