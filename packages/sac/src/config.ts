/**
 * SAC hyperparameters. Defaults follow model.md section 7 (tau 0.005, batch 256, Adam with actor
 * 1e-4 and critic 1e-3, replay 1e6, twin critics 256-256 with Mish); the temperature settings are
 * this package's choice and documented in the README.
 */
export interface SacConfig {
  /** hidden widths of each twin critic Q(s, a) (Mish between layers) */
  criticHidden: number[];
  /** transitions per update */
  batchSize: number;
  /** Adam learning rate of the actor */
  actorLr: number;
  /** Adam learning rate of both critics */
  criticLr: number;
  /** Polyak rate of the target actor and target critics: target <- tau * online + (1 - tau) * target */
  tau: number;
  /** replay buffer capacity in transitions (used by the app when it builds the buffer) */
  bufferCapacity: number;
  /** temperature alpha at the start */
  initialAlpha: number;
  /** tune alpha automatically towards `targetEntropy`; when false alpha stays `initialAlpha` */
  autoTemperature: boolean;
  /** Adam learning rate of log alpha */
  alphaLr: number;
  /** target entropy in nats; 'auto' means -actionDim (the usual SAC heuristic) */
  targetEntropy: number | 'auto';
  /** one actor (and temperature) step every `actorEvery` critic steps */
  actorEvery: number;
  /**
   * weight w in [0, 1] of the environment's exact action-gradient in the actor's objective:
   * (1 - w) min(Q1, Q2)(s, a) + w (g . a) with g = dr/da at the actor's action (stopped gradient), so
   * the actor step follows (1 - w) dQ/da + w dr/da. 0 (the default) is plain, critic-only SAC; w > 0
   * needs an agent built with an `actionGradient` (createSacAgent's options)
   */
  exactGradient: number;
  /** seeds critic initialisation and the agent's sampling noise */
  seed: number;
}

export const DEFAULT_SAC_CONFIG: Readonly<SacConfig> = Object.freeze({
  criticHidden: [256, 256],
  batchSize: 256,
  actorLr: 1e-4,
  criticLr: 1e-3,
  tau: 0.005,
  bufferCapacity: 1_000_000,
  initialAlpha: 0.01,
  autoTemperature: true,
  alphaLr: 3e-4,
  targetEntropy: 'auto',
  actorEvery: 1,
  exactGradient: 0,
  seed: 0,
});

/** Merges `partial` over the defaults and validates every field (one-line errors: `sac.<field>: ... (<value>)`). */
export function resolveSacConfig(partial: Partial<SacConfig> = {}): SacConfig {
  const known = new Set(Object.keys(DEFAULT_SAC_CONFIG));
  for (const key of Object.keys(partial)) {
    if (!known.has(key))
      throw new Error(
        `sac.${key}: unknown key (${JSON.stringify((partial as Record<string, unknown>)[key])})`,
      );
  }
  const c: SacConfig = {
    ...DEFAULT_SAC_CONFIG,
    criticHidden: [...DEFAULT_SAC_CONFIG.criticHidden],
    ...partial,
  };
  const bad = (field: string, value: unknown, problem: string): never => {
    throw new Error(`sac.${field}: ${problem} (${JSON.stringify(value)})`);
  };
  const posInt = (field: keyof SacConfig) => {
    const v = c[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) bad(field, v, 'must be an integer >= 1');
  };
  const posNum = (field: keyof SacConfig) => {
    const v = c[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) bad(field, v, 'must be a finite number > 0');
  };
  if (!Array.isArray(c.criticHidden) || c.criticHidden.length === 0)
    bad('criticHidden', c.criticHidden, 'must be a non-empty array');
  c.criticHidden.forEach((h, i) => {
    if (!Number.isInteger(h) || h < 1) bad(`criticHidden[${i}]`, h, 'must be an integer >= 1');
  });
  posInt('batchSize');
  posInt('bufferCapacity');
  posInt('actorEvery');
  posNum('actorLr');
  posNum('criticLr');
  posNum('alphaLr');
  if (typeof c.tau !== 'number' || !(c.tau > 0 && c.tau <= 1)) bad('tau', c.tau, 'must be in (0, 1]');
  if (typeof c.initialAlpha !== 'number' || !Number.isFinite(c.initialAlpha) || c.initialAlpha < 0) {
    bad('initialAlpha', c.initialAlpha, 'must be a finite number >= 0');
  }
  if (c.autoTemperature && !(c.initialAlpha > 0))
    bad('initialAlpha', c.initialAlpha, 'must be > 0 with autoTemperature');
  if (typeof c.autoTemperature !== 'boolean') bad('autoTemperature', c.autoTemperature, 'must be a boolean');
  if (
    c.targetEntropy !== 'auto' &&
    (typeof c.targetEntropy !== 'number' || !Number.isFinite(c.targetEntropy))
  ) {
    bad('targetEntropy', c.targetEntropy, "must be a number or 'auto'");
  }
  if (typeof c.exactGradient !== 'number' || !(c.exactGradient >= 0 && c.exactGradient <= 1)) {
    bad('exactGradient', c.exactGradient, 'must be a number in [0, 1]');
  }
  if (!Number.isInteger(c.seed)) bad('seed', c.seed, 'must be an integer');
  return c;
}
