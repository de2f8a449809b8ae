/**
 * Replay buffer of one-step transitions (s, a, r) on preallocated typed arrays. Inserting past
 * capacity overwrites the oldest transitions (ring buffer). Sampling is uniform with replacement and
 * writes into a caller-owned batch, so the training loop allocates nothing per update.
 */
import type { NoiseSource } from '@diffcontract/diffusion-actor';

/** A batch of transitions, flat row-major. `size` rows are valid. */
export interface TransitionBatch {
  size: number;
  /** `size * stateDim` */
  states: Float32Array;
  /** `size * actionDim` */
  actions: Float32Array;
  /** `size` */
  rewards: Float32Array;
}

export interface ReplayBufferOptions {
  capacity: number;
  stateDim: number;
  actionDim: number;
}

/** Serialisable snapshot for checkpoints (only the filled part is stored). */
export interface ReplaySnapshot {
  capacity: number;
  stateDim: number;
  actionDim: number;
  size: number;
  /** index the next insert writes to */
  next: number;
  states: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
}

export function allocateBatch(size: number, stateDim: number, actionDim: number): TransitionBatch {
  return {
    size,
    states: new Float32Array(size * stateDim),
    actions: new Float32Array(size * actionDim),
    rewards: new Float32Array(size),
  };
}

export class ReplayBuffer {
  readonly capacity: number;
  readonly stateDim: number;
  readonly actionDim: number;
  private readonly states: Float32Array;
  private readonly actions: Float32Array;
  private readonly rewards: Float32Array;
  private count = 0;
  private next = 0;

  constructor(options: ReplayBufferOptions) {
    for (const key of ['capacity', 'stateDim', 'actionDim'] as const) {
      const v = options[key];
      if (!Number.isInteger(v) || v < 1) throw new Error(`replay.${key}: must be an integer >= 1 (${v})`);
    }
    this.capacity = options.capacity;
    this.stateDim = options.stateDim;
    this.actionDim = options.actionDim;
    this.states = new Float32Array(this.capacity * this.stateDim);
    this.actions = new Float32Array(this.capacity * this.actionDim);
    this.rewards = new Float32Array(this.capacity);
  }

  /** number of stored transitions (at most capacity) */
  get size(): number {
    return this.count;
  }

  /**
   * Appends `rewards.length` transitions; `states` and `actions` hold that many rows. When more than
   * `capacity` are added at once only the last `capacity` survive.
   */
  add(states: ArrayLike<number>, actions: ArrayLike<number>, rewards: ArrayLike<number>): void {
    const n = rewards.length;
    const S = this.stateDim;
    const A = this.actionDim;
    if (states.length !== n * S)
      throw new Error(`replay.add: states has ${states.length} values, expected ${n * S}`);
    if (actions.length !== n * A)
      throw new Error(`replay.add: actions has ${actions.length} values, expected ${n * A}`);
    const skip = Math.max(0, n - this.capacity);
    for (let k = skip; k < n; k++) {
      const row = this.next;
      for (let d = 0; d < S; d++) this.states[row * S + d] = states[k * S + d]!;
      for (let d = 0; d < A; d++) this.actions[row * A + d] = actions[k * A + d]!;
      this.rewards[row] = rewards[k]!;
      this.next = (row + 1) % this.capacity;
    }
    this.count = Math.min(this.capacity, this.count + n);
  }

  /** Uniform sample with replacement into `out` (allocated when omitted); `out.size` rows are drawn. */
  sample(rng: NoiseSource, out: TransitionBatch): TransitionBatch {
    if (this.count === 0) throw new Error('replay.sample: buffer is empty');
    const S = this.stateDim;
    const A = this.actionDim;
    for (let b = 0; b < out.size; b++) {
      const row = rng.nextInt(this.count);
      out.states.set(this.states.subarray(row * S, row * S + S), b * S);
      out.actions.set(this.actions.subarray(row * A, row * A + A), b * A);
      out.rewards[b] = this.rewards[row]!;
    }
    return out;
  }

  /** The i-th stored transition in insertion order (0 = oldest still stored); for tests and tools. */
  at(i: number): { state: Float32Array; action: Float32Array; reward: number } {
    if (!Number.isInteger(i) || i < 0 || i >= this.count)
      throw new Error(`replay.at: index out of range (${i})`);
    const row = this.count < this.capacity ? i : (this.next + i) % this.capacity;
    return {
      state: this.states.slice(row * this.stateDim, (row + 1) * this.stateDim),
      action: this.actions.slice(row * this.actionDim, (row + 1) * this.actionDim),
      reward: this.rewards[row]!,
    };
  }

  snapshot(): ReplaySnapshot {
    return {
      capacity: this.capacity,
      stateDim: this.stateDim,
      actionDim: this.actionDim,
      size: this.count,
      next: this.next,
      states: this.states.slice(0, this.count * this.stateDim),
      actions: this.actions.slice(0, this.count * this.actionDim),
      rewards: this.rewards.slice(0, this.count),
    };
  }

  static fromSnapshot(snap: ReplaySnapshot): ReplayBuffer {
    const buf = new ReplayBuffer(snap);
    buf.states.set(snap.states);
    buf.actions.set(snap.actions);
    buf.rewards.set(snap.rewards);
    buf.count = snap.size;
    buf.next = snap.next;
    return buf;
  }
}
