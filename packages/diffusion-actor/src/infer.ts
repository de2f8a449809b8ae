/**
 * Contract generation without tfjs: the diffusion actor's reverse chain as a plain forward pass in
 * the WebAssembly SIMD kernels (wasm/), on a memory of its own. Same contract as DiffusionActor.act:
 * same noise stream in the same order, same formulas, actions equal to float32 rounding.
 *
 * It reads a weights artefact (DiffusionActor.toArtefact(), a file from saveArtefact, or a pruned
 * and compacted export: layer widths come from the tensor shapes, not the config). Keep masks
 * (`mask.i`) are folded into the next layer's kernel rows once at load time, which is exact:
 * mish(z) * m feeds only that product. The time embedding and the first layer's time block are
 * evaluated once per load (they do not depend on the state), so a step costs three products.
 */
import { DEFAULT_DIFFUSION_CONFIG } from './config.js';
import { sinusoidalEmbedding } from './embedding.js';
import { tensorOf, type WeightsArtefact } from './nn/artefact.js';
import type { NoiseSource } from './nn/noise.js';
import { chainNoise, type ReverseStep, reverseSteps, vpSchedule } from './schedule.js';
import { Arena } from './wasm/kernels.js';

/** Rows per pass: keeps a pass's activations in the L2 cache. Results do not depend on it. */
const CHUNK = 256;

interface Layer {
  inDim: number;
  outDim: number;
  kernel: number;
  bias: number;
}

function configNumber(config: Record<string, unknown>, key: string, fallback?: number): number {
  const v = config[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new Error(`weights: config.${key}: must be a number (${v})`);
  return v;
}

export class ActorInference {
  readonly stateDim: number;
  readonly actionDim: number;
  readonly steps: number;
  private readonly arena = new Arena(4 << 20);
  /** per step i (0 = last) */
  private readonly coef: ReverseStep[];
  /** first layer's x_t block [A, H0] and state block [S, H0] */
  private inX!: Layer;
  private inS!: Layer;
  /** [T, H0]: time block of the first layer plus its bias, one row per step */
  private tPart = 0;
  private rest: Layer[] = [];
  /** arena offset where per-call scratch starts */
  private scratchStart = 0;

  constructor(artefact: WeightsArtefact) {
    const config = artefact.manifest.config;
    this.stateDim = configNumber(config, 'stateDim');
    this.actionDim = configNumber(config, 'actionDim');
    this.steps = configNumber(config, 'steps');
    const schedule = vpSchedule({
      steps: this.steps,
      betaMin: configNumber(config, 'betaMin', DEFAULT_DIFFUSION_CONFIG.betaMin),
      betaMax: configNumber(config, 'betaMax', DEFAULT_DIFFUSION_CONFIG.betaMax),
    });
    this.coef = reverseSteps(schedule);
    this.load(artefact);
  }

  /** Replaces the weights (same state and action sizes; widths may differ). */
  load(artefact: WeightsArtefact): void {
    const { stateDim: S, actionDim: A, steps: T } = this;
    const names = artefact.manifest.tensors.map((t) => t.name);
    const shapeOf = (name: string) => artefact.manifest.tensors.find((t) => t.name === name)?.shape ?? [];
    const mask = (i: number) => (names.includes(`mask.${i}`) ? tensorOf(artefact, `mask.${i}`) : null);
    const arena = this.arena;
    arena.reset();
    const put = (values: Float32Array) => {
      const p = arena.alloc(values.length);
      arena.view(p, values.length).set(values);
      return p;
    };
    /** A dense layer with the keep mask of its input units folded into its kernel rows. */
    const dense = (name: string, inputMask: Float32Array | null, rows?: [number, number]): Layer => {
      const [inAll, outDim] = shapeOf(`${name}.kernel`) as [number, number];
      const [r0, r1] = rows ?? [0, inAll];
      const k = tensorOf(artefact, `${name}.kernel`).slice(r0 * outDim, r1 * outDim);
      if (inputMask) {
        if (inputMask.length !== r1 - r0)
          throw new Error(`weights: ${name}: mask of ${inputMask.length} units for ${r1 - r0} inputs`);
        inputMask.forEach((m, u) => {
          if (m !== 1) for (let j = 0; j < outDim; j++) k[u * outDim + j]! *= m;
        });
      }
      return {
        inDim: r1 - r0,
        outDim,
        kernel: put(k),
        bias: put(tensorOf(artefact, `${name}.bias`, [outDim])),
      };
    };
    const time0 = dense('time.0', null);
    const time1 = dense('time.1', mask(0));
    const E = time1.outDim;
    const [inAll, H0] = shapeOf('eps.0.kernel') as [number, number];
    if (inAll !== A + E + S) throw new Error(`weights: eps.0.kernel: expected ${A + E + S} rows (${inAll})`);
    this.inX = dense('eps.0', null, [0, A]);
    const inT = dense('eps.0', null, [A, A + E]);
    this.inS = dense('eps.0', null, [A + E, A + E + S]);
    this.rest = [];
    for (let l = 1; names.includes(`eps.${l}.kernel`); l++) this.rest.push(dense(`eps.${l}`, mask(l)));
    if (this.rest.at(-1)?.outDim !== A) throw new Error(`weights: the last eps layer must have ${A} outputs`);
    // Time path, once per load: tPart = (Linear(Mish(Linear(emb)))) W_t + b0.
    const k = arena.kernels;
    const emb = put(sinusoidalEmbedding(T, time0.inDim));
    const th = arena.alloc(T * time0.outDim);
    k.gemm(T, time0.outDim, time0.inDim, emb, time0.inDim, time0.kernel, time0.outDim, th, time0.outDim, 0);
    k.epilogue(T, time0.outDim, th, time0.bias, 0, 0, th, 0, 1);
    const te = arena.alloc(T * E);
    k.gemm(T, E, time1.inDim, th, time1.inDim, time1.kernel, E, te, E, 0);
    k.epilogue(T, E, te, time1.bias, 0, 0, te, 0, 0);
    this.tPart = arena.alloc(T * H0);
    k.gemm(T, H0, E, te, E, inT.kernel, H0, this.tPart, H0, 0);
    k.epilogue(T, H0, this.tPart, inT.bias, 0, 0, this.tPart, 0, 0);
    this.scratchStart = arena.mark();
  }

  /**
   * Actions for `states.length / stateDim` states, drawing noise exactly as DiffusionActor.act does
   * (x_T, then the noise of steps T-1..1, count * actionDim values each, in one call); with
   * `deterministic` all noise is zero and none is drawn.
   */
  act(states: Float32Array, noise: NoiseSource | null, deterministic = false): Float32Array {
    const { stateDim: S, actionDim: A } = this;
    const count = states.length / S;
    if (!Number.isInteger(count))
      throw new Error(`act: ${states.length} values is not a multiple of stateDim ${S}`);
    const n = count * A;
    const draws = deterministic || !noise ? null : chainNoise(this.coef, n, noise);
    const out = new Float32Array(n);
    for (let r0 = 0; r0 < count; r0 += CHUNK) {
      const rows = Math.min(CHUNK, count - r0);
      this.chain(
        states.subarray(r0 * S, (r0 + rows) * S),
        draws,
        r0,
        count,
        rows,
        out.subarray(r0 * A, (r0 + rows) * A),
      );
    }
    return out;
  }

  private chain(
    states: Float32Array,
    draws: Float32Array | null,
    first: number,
    count: number,
    rows: number,
    out: Float32Array,
  ): void {
    const { actionDim: A, arena } = this;
    const k = arena.kernels;
    const H0 = this.inX.outDim;
    arena.resetTo(this.scratchStart);
    const widest = Math.max(H0, ...this.rest.map((l) => l.outDim));
    const ps = arena.alloc(states.length);
    const sPart = arena.alloc(rows * H0);
    const x = arena.alloc(rows * A);
    const z = arena.alloc(rows * A);
    const eps = arena.alloc(rows * A);
    const hA = arena.alloc(rows * widest);
    const hB = arena.alloc(rows * widest);
    // Views after every allocation (growing the memory detaches earlier views).
    arena.view(ps, states.length).set(states);
    const n = count * A;
    const xv = arena.view(x, rows * A);
    const zv = arena.view(z, rows * A);
    if (draws) xv.set(draws.subarray(first * A, (first + rows) * A));
    else xv.fill(0);
    const S = this.stateDim;
    k.gemm(rows, H0, S, ps, S, this.inS.kernel, H0, sPart, H0, 0);
    let drawn = 1;
    for (let i = this.steps - 1; i >= 0; i--) {
      const c = this.coef[i]!;
      k.gemm(rows, H0, A, x, A, this.inX.kernel, H0, hA, H0, 0);
      k.epilogue(rows, H0, hA, this.tPart + 4 * i * H0, sPart, rows, hA, 0, 1);
      let h = hA;
      let spare = hB;
      this.rest.forEach((layer, l) => {
        const last = l === this.rest.length - 1;
        const target = last ? eps : spare;
        k.gemm(
          rows,
          layer.outDim,
          layer.inDim,
          h,
          layer.inDim,
          layer.kernel,
          layer.outDim,
          target,
          layer.outDim,
          0,
        );
        k.epilogue(rows, layer.outDim, target, layer.bias, 0, 0, target, 0, last ? 0 : 1);
        spare = h;
        h = target;
      });
      let zp = 0;
      if (c.sigma > 0 && draws) {
        zv.set(draws.subarray(drawn * n + first * A, drawn * n + (first + rows) * A));
        zp = z;
      }
      if (c.sigma > 0) drawn += 1;
      k.ddpmStep(rows * A, x, eps, zp, x, 0, 0, c.sqrtRecipAlphaBar, c.sqrtRecipM1AlphaBar, c.c1, c.c2);
    }
    k.clip(rows * A, x, x, -1, 1);
    out.set(arena.view(x, rows * A));
  }
}
