import { actionDim, DEFAULT_PENALTY, stateDim } from './encoding.js';
import { DEFAULT_SAMPLER_CONFIG } from './sampler.js';

export interface BatchEvaluatorOptions {
  /** q_max of every market; the state does not carry it (model.md section 6). Default that of DEFAULT_SAMPLER_CONFIG (10). */
  qMax?: number;
  /** lambda of the reward; default 5 */
  penalty?: number;
  /** fixed reward divisor; default each market's own beta */
  scale?: number;
  /** rows preallocated up front (grows on demand); default 1024 */
  capacity?: number;
}

/** Per-row results; views into the evaluator's buffers, overwritten by its next call. */
export interface BatchResult {
  /** r = (U/N - lambda viol) / scale */
  reward: Float64Array;
  /** cloud utility per ES, U/N */
  utility: Float64Array;
  /** viol(C) */
  violation: Float64Array;
}

type Floats = Float32Array | Float64Array;

/** Rows `count` (default: as many as `actions` holds) after checking both arrays hold them. */
export function batchRows(
  who: string,
  dims: { stateDim: number; actionDim: number },
  states: Floats,
  actions: Floats,
  count?: number,
): number {
  const n = count ?? Math.floor(actions.length / dims.actionDim);
  if (states.length < n * dims.stateDim || actions.length < n * dims.actionDim) {
    throw new RangeError(
      `${who}: ${n} rows need ${n * dims.stateDim} state and ${n * dims.actionDim} action values`,
    );
  }
  return n;
}

/** Result buffers reused across calls, grown on demand; `views(n)` are overwritten by the next call. */
export class BatchBuffers {
  private reward: Float64Array;
  private utility: Float64Array;
  private violation: Float64Array;
  constructor(capacity: number) {
    this.reward = new Float64Array(capacity);
    this.utility = new Float64Array(capacity);
    this.violation = new Float64Array(capacity);
  }
  views(n: number): BatchResult {
    if (this.reward.length < n) {
      const grown = Math.max(n, 2 * this.reward.length);
      this.reward = new Float64Array(grown);
      this.utility = new Float64Array(grown);
      this.violation = new Float64Array(grown);
    }
    return {
      reward: this.reward.subarray(0, n),
      utility: this.utility.subarray(0, n),
      violation: this.violation.subarray(0, n),
    };
  }
}

/**
 * Evaluates many (state, action) pairs for a fixed K straight from their flat encodings, with no
 * per-contract allocation: the training loop's hot path. It computes exactly what the object path
 * computes (decodeState + decodeAction + cloudUtility / violation / contractReward), only in flat
 * scratch arrays; tests hold the two equal.
 */
export class BatchEvaluator {
  readonly K: number;
  readonly stateDim: number;
  readonly actionDim: number;
  readonly qMax: number;
  readonly penalty: number;
  readonly scale: number | undefined;
  private readonly buffers: BatchBuffers;
  // Scratch, indexed [i * K + j] for period 2.
  private readonly q1: Float64Array;
  private readonly r1: Float64Array;
  private readonly c1: Float64Array;
  private readonly c2: Float64Array;
  private readonly r2: Float64Array;
  private readonly invTheta: Float64Array;
  /** truthful period-2 utility t[i' * K + j] = u(theta_j; q2[i'][j], R2[i'][j]) */
  private readonly truthful: Float64Array;

  constructor(K: number, options: BatchEvaluatorOptions = {}) {
    if (!Number.isSafeInteger(K) || K < 1) throw new RangeError(`BatchEvaluator: K must be >= 1 (${K})`);
    this.K = K;
    this.stateDim = stateDim(K);
    this.actionDim = actionDim(K);
    this.qMax = options.qMax ?? DEFAULT_SAMPLER_CONFIG.qMax;
    this.penalty = options.penalty ?? DEFAULT_PENALTY;
    this.scale = options.scale;
    const capacity = options.capacity ?? 1024;
    this.buffers = new BatchBuffers(capacity);
    this.q1 = new Float64Array(K);
    this.r1 = new Float64Array(K);
    this.c1 = new Float64Array(K);
    this.c2 = new Float64Array(K * K);
    this.r2 = new Float64Array(K * K);
    this.invTheta = new Float64Array(K);
    this.truthful = new Float64Array(K * K);
  }

  /**
   * Evaluates rows 0..count-1 (default: as many as `actions` holds). Returns views of length count
   * into buffers reused by the next call; pass `out` to write into your own arrays instead.
   */
  evaluate(states: Floats, actions: Floats, count?: number, out?: BatchResult): BatchResult {
    const n = batchRows('BatchEvaluator', this, states, actions, count);
    const target = out ?? this.buffers.views(n);
    for (let b = 0; b < n; b++) this.row(states, b * this.stateDim, actions, b * this.actionDim, target, b);
    return target;
  }

  private row(s: Floats, so: number, act: Floats, ao: number, out: BatchResult, b: number): void {
    const { K, q1, r1, c1, c2, r2, invTheta, truthful, qMax } = this;
    const KK = K * K;
    const pOff = so + 2 * K;
    const a = s[pOff + KK]!;
    const beta = s[pOff + KK + 1]!;
    const delta = s[pOff + KK + 2]!;
    const rMax = beta * Math.log1p(qMax);
    for (let k = 0; k < K; k++) invTheta[k] = 1 / s[so + k]!;

    // Decode (same clipping and formula as decodeAction) and accumulate U/N.
    let utility = 0;
    for (let i = 0; i < K; i++) {
      const q = unit(act[ao + i]!, qMax);
      q1[i] = q;
      r1[i] = unit(act[ao + K + i]!, rMax);
      c1[i] = a * q * q;
      let continuation = 0;
      for (let j = 0; j < K; j++) {
        const k = i * K + j;
        const q2 = unit(act[ao + 2 * K + k]!, qMax);
        const r = unit(act[ao + 2 * K + KK + k]!, rMax);
        c2[k] = a * q2 * q2;
        r2[k] = r;
        truthful[k] = r - c2[k]! * invTheta[j]!;
        continuation += s[pOff + k]! * (beta * Math.log1p(q2) - r);
      }
      utility += s[so + K + i]! * (beta * Math.log1p(q) - r1[i]! + delta * continuation);
    }

    // The hot path's own walk over the constraints (typed arrays, no objects), grouped by type i
    // rather than in constraintIndices' order: the sum's rounding, and so every training reward,
    // depends on this order; tests hold it to violation() on the same contracts.
    let viol = 0;
    for (let i = 0; i < K; i++) {
      const own = r1[i]! - c1[i]! * invTheta[i]!;
      if (own < 0) viol -= own; // IR1
      for (let j = 0; j < K; j++) {
        const t = truthful[i * K + j]!;
        if (t < 0) viol -= t; // IR2
        for (let jp = 0; jp < K; jp++) {
          if (jp === j) continue;
          const deviation = r2[i * K + jp]! - c2[i * K + jp]! * invTheta[j]!;
          if (deviation > t) viol += deviation - t; // IC2
        }
      }
      let ownCont = 0;
      for (let j = 0; j < K; j++) ownCont += s[pOff + i * K + j]! * truthful[i * K + j]!;
      const lhs = own + delta * ownCont;
      for (let ip = 0; ip < K; ip++) {
        if (ip === i) continue;
        let cont = 0;
        for (let j = 0; j < K; j++) cont += s[pOff + i * K + j]! * truthful[ip * K + j]!;
        const rhs = r1[ip]! - c1[ip]! * invTheta[i]! + delta * cont;
        if (rhs > lhs) viol += rhs - lhs; // IIC
      }
    }

    out.utility[b] = utility;
    out.violation[b] = viol;
    out.reward[b] = (utility - this.penalty * viol) / (this.scale ?? beta);
  }
}

function unit(u: number, max: number): number {
  const c = u < -1 ? -1 : Math.min(u, 1);
  return (max * (c + 1)) / 2;
}
