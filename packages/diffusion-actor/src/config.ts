/** Configuration of the diffusion actor; defaults are model.md section 7. */
export interface DiffusionActorConfig {
  stateDim: number;
  actionDim: number;
  /** hidden widths of the noise-prediction MLP (Mish between layers) */
  hidden: number[];
  /** sinusoidal time-embedding size (embedding MLP: dim -> 2 dim -> dim) */
  timeEmbedding: number;
  /** denoising steps T */
  steps: number;
  betaMin: number;
  betaMax: number;
  /** weight-initialisation seed */
  seed: number;
  /** states used by the entropy estimate per call (a prefix of the batch) */
  entropyStates: number;
  /** actions sampled per state for the nearest-neighbour entropy estimate (>= 2) */
  entropySamples: number;
  /**
   * c in the boundary penalty c * mean_b sum_a relu(|x0_a| - 1)^2 on the last step's predicted x0
   * before its clamp, returned by sample() for the actor loss. The clamp (and the final clip) pass
   * no gradient outside [-1, 1], so without it a chain whose x0 leaves the box never comes back.
   * 0 turns it off. Actions are unchanged (still clip(x0, -1, 1)).
   */
  boundaryPenalty: number;
}

export const DEFAULT_DIFFUSION_CONFIG = Object.freeze({
  hidden: [256, 256],
  timeEmbedding: 16,
  steps: 5,
  betaMin: 0.1,
  betaMax: 10,
  seed: 0,
  entropyStates: 8,
  entropySamples: 8,
  boundaryPenalty: 10,
});

export type DiffusionActorOptions = Pick<DiffusionActorConfig, 'stateDim' | 'actionDim'> &
  Partial<Omit<DiffusionActorConfig, 'stateDim' | 'actionDim'>>;

/** Merges defaults and validates (errors: `diffusion.<field>: <problem> (<value>)`). */
export function resolveDiffusionConfig(options: DiffusionActorOptions): DiffusionActorConfig {
  const known = new Set(['stateDim', 'actionDim', ...Object.keys(DEFAULT_DIFFUSION_CONFIG)]);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) {
      throw new Error(
        `diffusion.${key}: unknown key (${JSON.stringify((options as Record<string, unknown>)[key])})`,
      );
    }
  }
  const c: DiffusionActorConfig = {
    ...DEFAULT_DIFFUSION_CONFIG,
    hidden: [...DEFAULT_DIFFUSION_CONFIG.hidden],
    ...options,
  };
  const bad = (field: string, value: unknown, problem: string): never => {
    throw new Error(`diffusion.${field}: ${problem} (${JSON.stringify(value)})`);
  };
  for (const key of ['stateDim', 'actionDim', 'steps', 'entropyStates'] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 1) bad(key, c[key], 'must be an integer >= 1');
  }
  if (!Number.isInteger(c.entropySamples) || c.entropySamples < 2) {
    bad('entropySamples', c.entropySamples, 'must be an integer >= 2');
  }
  if (!Number.isInteger(c.timeEmbedding) || c.timeEmbedding < 4 || c.timeEmbedding % 2 !== 0) {
    bad('timeEmbedding', c.timeEmbedding, 'must be an even integer >= 4');
  }
  if (!Array.isArray(c.hidden) || c.hidden.length === 0) bad('hidden', c.hidden, 'must be a non-empty array');
  c.hidden.forEach((h, i) => {
    if (!Number.isInteger(h) || h < 1) bad(`hidden[${i}]`, h, 'must be an integer >= 1');
  });
  if (!(Number.isFinite(c.boundaryPenalty) && c.boundaryPenalty >= 0)) {
    bad('boundaryPenalty', c.boundaryPenalty, 'must be a finite number >= 0');
  }
  if (!(c.betaMin > 0)) bad('betaMin', c.betaMin, 'must be > 0');
  if (!(c.betaMax > c.betaMin)) bad('betaMax', c.betaMax, 'must be > betaMin');
  if (!Number.isInteger(c.seed)) bad('seed', c.seed, 'must be an integer');
  return c;
}
