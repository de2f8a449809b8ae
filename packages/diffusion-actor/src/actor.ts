/**
 * The diffusion actor of model.md section 7: a noise-prediction network eps_theta(x_t, t, s) and
 * batched reverse DDPM sampling over T steps. The whole chain is built from differentiable tfjs ops,
 * so the policy gradient flows from the final action back to every weight.
 */
import * as tf from '@tensorflow/tfjs';
import { boundaryPenalty } from './boundary.js';
import { padCompactedTimeLayer } from './compacted.js';
import { type DiffusionActorConfig, type DiffusionActorOptions, resolveDiffusionConfig } from './config.js';
import { ddpmStep } from './ddpm.js';
import { sinusoidalEmbedding } from './embedding.js';
import { knnEntropy } from './entropy.js';
import { ActorInference } from './infer.js';
import { packArtefact, tensorOf, type WeightsArtefact } from './nn/artefact.js';
import { fastKernelsEnabled, useWasmKernels } from './nn/fast.js';
import { linear } from './nn/layers.js';
import {
  assignValues,
  copyVariables,
  createDense,
  type DenseParams,
  Mlp,
  ownedVariable,
  softUpdateVariables,
  uniformValues,
} from './nn/mlp.js';
import { createNoise, type NoiseSource } from './nn/noise.js';
import { readAndDispose } from './nn/read.js';
import { chainNoise, type ReverseStep, reverseSteps, type VpSchedule, vpSchedule } from './schedule.js';
import {
  type ActorUnits,
  actorUnits,
  checkUnitMasks,
  layerKeepValues,
  layerTensors,
  unitWidths,
} from './units.js';
import { wasmSimdSupported } from './wasm/kernels.js';

export const DIFFUSION_KIND = 'diffusion';
export { sinusoidalEmbedding };

export class DiffusionActor {
  readonly kind = DIFFUSION_KIND;
  readonly config: DiffusionActorConfig;
  readonly schedule: VpSchedule;
  readonly stateDim: number;
  readonly actionDim: number;
  /** time-embedding MLP: dim -> 2 dim (Mish) -> dim */
  private readonly timeMlp: Mlp;
  /**
   * First layer of eps_theta over the concatenation [x_t, t_emb, s], stored as three row blocks so
   * the state part (constant across steps) and the time part (constant across the batch) are
   * multiplied once per chain instead of once per step. Same function as one [A+E+S, H] kernel.
   */
  private readonly inX: tf.Variable<tf.Rank.R2>;
  private readonly inT: tf.Variable<tf.Rank.R2>;
  private readonly inS: tf.Variable<tf.Rank.R2>;
  private readonly inBias: tf.Variable<tf.Rank.R1>;
  /** hidden layers after the first, and the output layer */
  private readonly rest: DenseParams[];
  private readonly timeInput: tf.Tensor2D;
  private readonly steps: ReverseStep[];
  /** every trainable variable, in artefact order (a plain array, so it goes straight into tf.variableGrads) */
  readonly variables: tf.Variable[];
  private masks: tf.Tensor1D[] | null = null;
  /** act()'s tfjs-free forward pass and the storage identities of the weights it was loaded from */
  private inference: ActorInference | null = null;
  private inferenceKey: readonly object[] = [];

  constructor(options: DiffusionActorOptions) {
    const c = resolveDiffusionConfig(options);
    this.config = c;
    this.stateDim = c.stateDim;
    this.actionDim = c.actionDim;
    this.schedule = vpSchedule({ steps: c.steps, betaMin: c.betaMin, betaMax: c.betaMax });
    const rng = createNoise(c.seed);
    const E = c.timeEmbedding;
    const A = c.actionDim;
    const S = c.stateDim;
    const H = c.hidden;
    this.timeMlp = new Mlp('diffusion.time', [E, 2 * E, E], rng);
    const fanIn = A + E + S;
    const bound = 1 / Math.sqrt(fanIn);
    const v2 = (name: string, rows: number, cols: number) =>
      ownedVariable(uniformValues(rng, rows * cols, bound), [rows, cols], name) as tf.Variable<tf.Rank.R2>;
    this.inX = v2('diffusion.eps.0.kernel.x', A, H[0]!);
    this.inT = v2('diffusion.eps.0.kernel.t', E, H[0]!);
    this.inS = v2('diffusion.eps.0.kernel.s', S, H[0]!);
    this.inBias = ownedVariable(
      uniformValues(rng, H[0]!, bound),
      [H[0]!],
      'diffusion.eps.0.bias',
    ) as tf.Variable<tf.Rank.R1>;
    const sizes = [...H, A];
    this.rest = [];
    for (let l = 1; l < sizes.length; l++) {
      this.rest.push(createDense(rng, `diffusion.eps.${l}`, sizes[l - 1]!, sizes[l]!));
    }
    this.timeInput = tf.keep(tf.tensor2d(sinusoidalEmbedding(c.steps, E), [c.steps, E]));
    this.steps = reverseSteps(this.schedule);
    this.variables = [
      ...this.timeMlp.variables,
      this.inX,
      this.inT,
      this.inS,
      this.inBias,
      ...this.rest.flatMap((l) => [l.kernel, l.bias]),
    ];
  }

  /**
   * Noise for one chain: x_T followed by the posterior noise of steps T-1..1, already scaled by the
   * posterior standard deviation. Drawn in that order from `noise` (B * A values per stochastic step).
   */
  private drawNoise(batch: number, noise: NoiseSource | null): tf.Tensor2D[] {
    const n = batch * this.actionDim;
    const values = chainNoise(this.steps, n, noise);
    return Array.from({ length: values.length / n }, (_, k) =>
      tf.tensor2d(values.subarray(k * n, (k + 1) * n), [batch, this.actionDim]),
    );
  }

  /**
   * The reverse chain; with `noise` null every draw is zero (the deterministic path). With `penalty`
   * it also returns the boundary penalty of the last step's unclamped x0 (see config.ts).
   */
  private chain(states: tf.Tensor2D, noise: NoiseSource | null): tf.Tensor2D;
  private chain(
    states: tf.Tensor2D,
    noise: NoiseSource | null,
    penalty: true,
  ): { actions: tf.Tensor2D; penalty: tf.Scalar };
  private chain(
    states: tf.Tensor2D,
    noise: NoiseSource | null,
    penalty = false,
  ): tf.Tensor2D | { actions: tf.Tensor2D; penalty: tf.Scalar } {
    const batch = states.shape[0];
    const draws = this.drawNoise(batch, noise);
    const masks = this.masks;
    const tEmb = this.timeMlp.apply(this.timeInput, { masks: masks ? [masks[0]!] : null, gradInput: false });
    // [T, H]: the time block of the first layer plus its bias, one row per step.
    const tPart = tf.unstack(linear(tEmb, this.inT, this.inBias)) as tf.Tensor1D[];
    // The state block is the same for every step: one matMul per chain (states need no gradient).
    const sPart = linear(states, this.inS, null, { gradInput: false });
    let x = draws[0]!;
    let k = 1;
    let boundary: tf.Scalar | undefined;
    const last = this.rest.length - 1;
    for (let i = this.config.steps - 1; i >= 0; i--) {
      const st = this.steps[i]!;
      // Fast kernels: the step's time row is the bias of the x_t block (its gradient is a column sum
      // inside the layer's backward kernel) and the state part a per-row offset. tfjs-wasm's fused
      // matMul rejects a row of an unstacked tensor as bias (it checks the storage's original shape),
      // so the reference path adds the two first.
      const fast = useWasmKernels();
      let h = linear(x, this.inX, fast ? tPart[i]! : null, {
        mish: true,
        offset: fast ? sPart : tf.add(sPart, tPart[i]!),
      });
      if (masks) h = tf.mul(h, masks[1]!);
      for (let l = 0; l <= last; l++) {
        const layer = this.rest[l]!;
        h = linear(h, layer.kernel, layer.bias, { mish: l < last });
        if (masks && l < last) h = tf.mul(h, masks[l + 2]!);
      }
      if (penalty && i === 0) {
        // The last step's x0 before the clamp, the same formula as the step kernel (ddpm.ts).
        const raw = tf.sub(tf.mul(x, st.sqrtRecipAlphaBar), tf.mul(h, st.sqrtRecipM1AlphaBar)) as tf.Tensor2D;
        boundary = boundaryPenalty(raw, this.config.boundaryPenalty);
      }
      x = ddpmStep(x, h, st.sigma > 0 ? draws[k++]! : null, st);
    }
    const actions = tf.clipByValue(x, -1, 1);
    return penalty ? { actions, penalty: boundary ?? tf.scalar(0) } : actions;
  }

  /**
   * Differentiable batch sample (Actor.sample). No logProb: the density is intractable. `penalty` is
   * the boundary penalty of the unclamped x0 (boundary.ts), absent when `boundaryPenalty` is 0.
   */
  sample(states: tf.Tensor2D, noise: NoiseSource): { actions: tf.Tensor2D; penalty?: tf.Scalar } {
    if (this.config.boundaryPenalty === 0) return { actions: this.chain(states, noise) };
    return this.chain(states, noise, true);
  }

  /**
   * Entropy bonus and temperature signal (Actor.entropy): the Kozachenko-Leonenko 1-NN estimate of
   * H(pi(. | s)) from `entropySamples` differentiable samples of each of the first `entropyStates`
   * states, averaged over those states. See entropy.ts for its bias.
   */
  entropy(states: tf.Tensor2D, noise: NoiseSource): tf.Scalar {
    const g = Math.min(this.config.entropyStates, states.shape[0]);
    const m = this.config.entropySamples;
    const head = g === states.shape[0] ? states : tf.slice(states, [0, 0], [g, this.stateDim]);
    const repeated = tf.reshape(tf.tile(tf.expandDims(head, 1), [1, m, 1]), [
      g * m,
      this.stateDim,
    ]) as tf.Tensor2D;
    const actions = this.chain(repeated, noise);
    return knnEntropy(tf.reshape(actions, [g, m, this.actionDim]) as tf.Tensor3D);
  }

  /**
   * Inference on plain arrays. With the fast paths on (the default) this runs the chain in the
   * WebAssembly kernels without tfjs (infer.ts): same noise, same actions to float32 rounding, no
   * per-op overhead, so single states are cheap. Otherwise it runs the tfjs chain.
   */
  act(states: Float32Array, noise: NoiseSource, deterministic = false): Float32Array {
    const count = states.length / this.stateDim;
    if (!Number.isInteger(count))
      throw new Error(`act: ${states.length} values is not a multiple of stateDim ${this.stateDim}`);
    if (fastKernelsEnabled() && wasmSimdSupported())
      return this.inferenceEngine().act(states, noise, deterministic);
    return readAndDispose(
      tf.tidy(() => this.chain(tf.tensor2d(states, [count, this.stateDim]), deterministic ? null : noise)),
    );
  }

  /**
   * The tfjs-free forward pass of the current weights (and masks). Reloaded only when they changed:
   * every update gives the variables fresh storage, so the storage identities tell.
   */
  inferenceEngine(): ActorInference {
    const key = [...this.variables, ...(this.masks ?? [])].map((t) => t.dataId);
    const same = key.length === this.inferenceKey.length && key.every((d, i) => d === this.inferenceKey[i]);
    if (!this.inference || !same) {
      const artefact = this.toArtefact();
      if (this.inference) this.inference.load(artefact);
      else this.inference = new ActorInference(artefact);
      this.inferenceKey = key;
    }
    return this.inference;
  }

  clone(): DiffusionActor {
    const copy = new DiffusionActor(this.config);
    copy.copyFrom(this);
    return copy;
  }

  softUpdate(source: { variables: readonly tf.Variable[] }, tau: number): void {
    softUpdateVariables(this.variables, source.variables, tau);
  }

  copyFrom(source: { variables: readonly tf.Variable[] }): void {
    copyVariables(this.variables, source.variables);
  }

  /**
   * Weights in the documented artefact format. Kernels are [in, out] row-major (tfjs layout; PyTorch
   * stores the transpose). `eps.0.kernel` is the full first-layer kernel over [x_t, t_emb, s] in
   * that row order.
   */
  toArtefact(): WeightsArtefact {
    const tensors = layerTensors(this.layers((t) => t.dataSync() as Float32Array));
    // Masks are part of the policy: a pruned actor saved and reloaded must act the same.
    (this.masks ?? []).forEach((m, i) => {
      tensors.push({ name: `mask.${i}`, shape: m.shape as number[], values: m.dataSync() as Float32Array });
    });
    return packArtefact(DIFFUSION_KIND, { ...this.config }, tensors);
  }

  /**
   * The dense layers in artefact order (time MLP, then eps_theta), values from `read`; the first
   * eps_theta layer's kernel is its three row blocks joined into the [A + E + S, H0] kernel over
   * [x_t, t_emb, s].
   */
  private layers(read: (t: tf.Tensor) => Float32Array): ActorUnits['layers'] {
    const { actionDim: A, stateDim: S, timeEmbedding: E, hidden: H } = this.config;
    const first = new Float32Array((A + E + S) * H[0]!);
    first.set(read(this.inX), 0);
    first.set(read(this.inT), A * H[0]!);
    first.set(read(this.inS), (A + E) * H[0]!);
    const dense = (kernel: tf.Tensor, bias: tf.Tensor) => ({
      inDim: kernel.shape[0]!,
      outDim: kernel.shape[1]!,
      kernel: read(kernel),
      bias: read(bias),
    });
    return actorUnits([
      ...this.timeMlp.layers.map((l) => dense(l.kernel, l.bias)),
      { inDim: A + E + S, outDim: H[0]!, kernel: first, bias: read(this.inBias) },
      ...this.rest.map((l) => dense(l.kernel, l.bias)),
    ]).layers;
  }

  /** Rebuilds an actor from toArtefact() output or a compacted export of it (see loadWeights). */
  static fromArtefact(artefact: WeightsArtefact): DiffusionActor {
    if (artefact.manifest.kind !== DIFFUSION_KIND) {
      throw new Error(`weights: kind: expected ${DIFFUSION_KIND} (${artefact.manifest.kind})`);
    }
    const actor = new DiffusionActor(artefact.manifest.config as unknown as DiffusionActorOptions);
    actor.loadWeights(artefact);
    return actor;
  }

  /**
   * Overwrites the weights from an artefact of the same configuration, or from its compacted export
   * (pruned units removed: config.hidden gives eps_theta's kept widths; the time layer is padded back).
   */
  loadWeights(artefact: WeightsArtefact): void {
    const { actionDim: A, stateDim: S, timeEmbedding: E, hidden: H } = this.config;
    artefact = padCompactedTimeLayer(artefact, 2 * E);
    const set = assignValues;
    {
      this.timeMlp.layers.forEach((l, i) => {
        set(l.kernel, tensorOf(artefact, `time.${i}.kernel`, l.kernel.shape));
        set(l.bias, tensorOf(artefact, `time.${i}.bias`, l.bias.shape));
      });
      const first = tensorOf(artefact, 'eps.0.kernel', [A + E + S, H[0]!]);
      set(this.inX, first.subarray(0, A * H[0]!));
      set(this.inT, first.subarray(A * H[0]!, (A + E) * H[0]!));
      set(this.inS, first.subarray((A + E) * H[0]!));
      set(this.inBias, tensorOf(artefact, 'eps.0.bias', [H[0]!]));
      this.rest.forEach((l, i) => {
        set(l.kernel, tensorOf(artefact, `eps.${i + 1}.kernel`, l.kernel.shape));
        set(l.bias, tensorOf(artefact, `eps.${i + 1}.bias`, l.bias.shape));
      });
    }
    const maskCount = artefact.manifest.tensors.filter((t) => t.name.startsWith('mask.')).length;
    this.setUnitMasks(
      maskCount === 0
        ? null
        : Array.from({ length: maskCount }, (_, i) => tensorOf(artefact, `mask.${i}`).slice()),
    );
  }

  /**
   * The actor's prunable structure (units.ts): its layers with copies of the weights, and one unit
   * group per hidden layer in setUnitMasks order, with the kernel rows each group feeds. The shape of
   * @diffcontract/pruning's PrunableNetwork, for its strategies and compaction.
   */
  prunableUnits(): ActorUnits {
    return actorUnits(this.layers((t) => (t.dataSync() as Float32Array).slice()));
  }

  /**
   * 0/1 per entry of each of `variables` (same order and sizes) for the unit keep masks `masks`
   * (setUnitMasks order): 0 on a masked unit's incoming weights, bias and outgoing weights. What the
   * optimizer's moments are multiplied by when the masks change (SacAgent.maskActorOptimizer).
   */
  variableKeepMasks(masks: readonly ArrayLike<number>[]): Float32Array[] {
    const { actionDim: A, timeEmbedding: E, hidden: H } = this.config;
    const shapes = this.layers((t) => new Float32Array(t.size)); // only the widths are read
    const keep = layerKeepValues(shapes, masks);
    // eps.0's kernel is three variables: its x_t, t_emb and s row blocks.
    const first = keep[2]!.kernel;
    const blocks = [
      first.slice(0, A * H[0]!),
      first.slice(A * H[0]!, (A + E) * H[0]!),
      first.slice((A + E) * H[0]!),
    ];
    return keep.flatMap((k, l) => (l === 2 ? [...blocks, k.bias] : [k.kernel, k.bias]));
  }

  /**
   * Hidden-unit keep masks (pruning), in the order: time hidden layer (2 E units), then each hidden
   * layer of eps_theta (hidden[l] units). null removes all masks.
   */
  setUnitMasks(masks: readonly Float32Array[] | null): void {
    for (const m of this.masks ?? []) m.dispose();
    this.masks = null;
    if (!masks) return;
    checkUnitMasks(masks, unitWidths(this.config));
    this.masks = masks.map((m) => tf.keep(tf.tensor1d(m)));
  }

  /** The hidden-unit gates now in force, in setUnitMasks order: the keep masks, or ones without masks. */
  unitGates(): Float32Array[] {
    if (this.masks) return this.masks.map((m) => (m.dataSync() as Float32Array).slice());
    return unitWidths(this.config).map((w) => new Float32Array(w).fill(1));
  }

  /**
   * Runs `fn` with `gates` (setUnitMasks order and widths) multiplying the hidden units' outputs in
   * place of the masks, then puts the masks back. With gates created by the caller, the gradient of
   * a loss computed inside `fn` w.r.t. each gate is sum over rows and steps of a dL/d(gated a): the
   * first-order Taylor importance of the unit (tf.valueAndGrads over the gates).
   */
  withUnitGates<T>(gates: readonly tf.Tensor1D[], fn: () => T): T {
    const widths = unitWidths(this.config);
    if (gates.length !== widths.length || gates.some((g, i) => g.size !== widths[i])) {
      throw new Error(
        `gates: expected widths [${widths.join(', ')}] ([${gates.map((g) => g.size).join(', ')}])`,
      );
    }
    const saved = this.masks;
    this.masks = [...gates];
    try {
      return fn();
    } finally {
      this.masks = saved;
    }
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
    this.timeInput.dispose();
    this.setUnitMasks(null);
  }
}

export function createDiffusionActor(options: DiffusionActorOptions): DiffusionActor {
  return new DiffusionActor(options);
}
