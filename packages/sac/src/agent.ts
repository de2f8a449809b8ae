/**
 * Soft actor-critic for one-step episodes (model.md section 6: a contextual bandit, so the critic
 * target is the reward r itself and target networks never enter a target). Actor-agnostic: the actor
 * is any implementation of the Actor interface.
 *
 * Per update on a batch (s, a, r):
 *   critic:      minimise mean (Q1(s,a) - r)^2 + mean (Q2(s,a) - r)^2
 *   actor:       minimise -mean min(Q1, Q2)(s, a~pi(s)) + P - alpha H,   H = -mean log pi(a|s) when the
 *                actor has a density, else the actor's own entropy estimate (Actor.entropy);
 *                P is the actor's own regulariser (ActorSample.penalty), 0 when absent
 *   temperature: d loss / d log(alpha) = H - targetEntropy (Adam on log alpha): alpha grows while the
 *                policy's entropy is below target and shrinks while above
 *   targets:     Polyak averaging with tau of target actor and target critics
 * Nothing is read back to JS inside update(); the last losses stay on the device until metrics().
 */

import {
  Adam,
  assignValues,
  combineArtefacts,
  createNoise,
  type NoiseSource,
  type NoiseState,
  ownedVariable,
  partOf,
  readAndDispose,
  softUpdateVariables,
  tensorOf,
  type WeightsArtefact,
} from '@diffcontract/diffusion-actor';
import * as tf from '@tensorflow/tfjs';
import type { Actor } from './actor.js';
import type { ActOptions, GateGradients, SacAgent, UpdateMetrics } from './agent-types.js';
import { resolveSacConfig, type SacConfig } from './config.js';
import { TwinCritic } from './critic.js';
import type { TransitionBatch } from './replay.js';

const CHECKPOINT_KIND = 'sac-agent';

type LastScalars = {
  criticLoss: tf.Scalar;
  actorLoss: tf.Scalar;
  entropy: tf.Scalar;
  meanQ: tf.Scalar;
};

function lastScalarValues(last: LastScalars): Record<keyof LastScalars, number | null> {
  const read = (t: tf.Scalar) => {
    const v = t.dataSync()[0] as number;
    return Number.isFinite(v) ? v : null;
  };
  return {
    criticLoss: read(last.criticLoss),
    actorLoss: read(last.actorLoss),
    entropy: read(last.entropy),
    meanQ: read(last.meanQ),
  };
}

/**
 * dr/da of the environment's reward (in the units the critic learns) at `actions` for `states`, both
 * row-major; what SacConfig.exactGradient mixes into the actor step.
 */
export type ActionGradient = (states: Float32Array, actions: Float32Array) => Float32Array;

export interface SacAgentOptions {
  actionGradient?: ActionGradient;
}

class Sac implements SacAgent {
  readonly config: Readonly<SacConfig>;
  readonly targetActor: Actor;
  readonly targetEntropy: number;
  private readonly critic: TwinCritic;
  private readonly targetCritic: TwinCritic;
  private readonly actorOpt: Adam;
  private readonly criticOpt: Adam;
  private readonly logAlpha: tf.Variable<tf.Rank.R0>;
  private readonly alphaOpt: Adam;
  /** noise of the updates */
  private readonly noise;
  /** noise of act() */
  private readonly actNoise;
  private count = 0;
  private last: LastScalars | null = null;

  private readonly actionGradient: ActionGradient | undefined;

  constructor(
    config: Partial<SacConfig>,
    readonly actor: Actor,
    options: SacAgentOptions = {},
  ) {
    const c = resolveSacConfig(config);
    if (c.exactGradient > 0 && !options.actionGradient) {
      throw new Error(
        `sac.exactGradient: needs an environment with an exact action-gradient (${c.exactGradient})`,
      );
    }
    this.actionGradient = options.actionGradient;
    this.config = Object.freeze(c);
    this.targetEntropy = c.targetEntropy === 'auto' ? -actor.actionDim : c.targetEntropy;
    this.critic = new TwinCritic(actor.stateDim, actor.actionDim, c.criticHidden, c.seed * 7919 + 11);
    this.targetCritic = new TwinCritic(actor.stateDim, actor.actionDim, c.criticHidden, c.seed * 7919 + 11);
    this.targetCritic.copyFrom(this.critic);
    this.targetActor = actor.clone();
    this.actorOpt = new Adam(actor.variables, { lr: c.actorLr });
    this.criticOpt = new Adam(this.critic.variables, { lr: c.criticLr });
    this.logAlpha = ownedVariable(
      new Float32Array([Math.log(Math.max(c.initialAlpha, Number.MIN_VALUE))]),
      [],
      'sac.logAlpha',
      false,
    ) as tf.Variable<tf.Rank.R0>;
    this.alphaOpt = new Adam([this.logAlpha], { lr: c.alphaLr });
    this.noise = createNoise(c.seed * 2 + 1);
    this.actNoise = createNoise(c.seed * 2 + 2);
  }

  get updates(): number {
    return this.count;
  }

  update(batch: TransitionBatch): void {
    const B = this.config.batchSize;
    if (batch.size !== B) throw new Error(`update: batch.size must equal sac.batchSize ${B} (${batch.size})`);
    const S = this.actor.stateDim;
    const A = this.actor.actionDim;
    const doActor = this.count % this.config.actorEvery === 0;
    const previous = this.last;
    const next = tf.tidy(() => {
      const s = tf.tensor2d(batch.states.subarray(0, B * S), [B, S]);
      const a = tf.tensor2d(batch.actions.subarray(0, B * A), [B, A]);
      const r = tf.tensor1d(batch.rewards.subarray(0, B));
      const criticVars = this.critic.variables;
      const criticStep = tf.variableGrads(() => {
        const [q1, q2] = this.critic.both(s, a, { actionsNeedGrad: false });
        return tf.add(tf.mean(tf.square(tf.sub(q1, r))), tf.mean(tf.square(tf.sub(q2, r)))) as tf.Scalar;
      }, criticVars);
      this.criticOpt.apply(criticVars.map((v) => criticStep.grads[v.name]!));
      const out: LastScalars = {
        criticLoss: criticStep.value,
        actorLoss: previous ? previous.actorLoss.clone() : tf.scalar(Number.NaN),
        entropy: previous ? previous.entropy.clone() : tf.scalar(Number.NaN),
        meanQ: previous ? previous.meanQ.clone() : tf.scalar(Number.NaN),
      };
      if (doActor) {
        const useEntropy = this.config.autoTemperature || this.config.initialAlpha > 0;
        const alpha = tf.exp(this.logAlpha);
        let entropy: tf.Scalar = tf.scalar(Number.NaN);
        let meanQ: tf.Scalar = tf.scalar(0);
        const actorVars = this.actor.variables as tf.Variable[];
        const actorStep = tf.variableGrads(() => {
          const sample = this.actor.sample(s, this.noise);
          // Kept: variableGrads disposes everything its closure creates except the loss.
          meanQ = tf.keep(tf.mean(this.critic.min(s, sample.actions, { frozen: true })) as tf.Scalar);
          const value = this.mixExactGradient(batch.states.subarray(0, B * S), sample.actions, meanQ);
          const objective = sample.penalty ? tf.sub(value, sample.penalty) : value;
          if (!useEntropy) return tf.neg(objective) as tf.Scalar;
          if (sample.logProb) entropy = tf.keep(tf.neg(tf.mean(sample.logProb)) as tf.Scalar);
          else if (this.actor.entropy) entropy = tf.keep(this.actor.entropy(s, this.noise));
          else throw new Error(`actor '${this.actor.kind}' has neither logProb nor entropy()`);
          return tf.sub(tf.neg(objective), tf.mul(alpha, entropy)) as tf.Scalar;
        }, actorVars);
        this.actorOpt.apply(actorVars.map((v) => actorStep.grads[v.name]!));
        if (this.config.autoTemperature) this.alphaOpt.apply([tf.sub(entropy, this.targetEntropy)]);
        out.actorLoss.dispose();
        out.entropy.dispose();
        out.meanQ.dispose();
        out.actorLoss = actorStep.value;
        out.entropy = entropy;
        out.meanQ = meanQ;
        // Kept tensors escape tidy; ownership passes to `last` via `out`.
      }
      this.targetActor.softUpdate(this.actor, this.config.tau);
      softUpdateVariables(this.targetCritic.variables, this.critic.variables, this.config.tau);
      return out;
    });
    if (previous) tf.dispose([previous.criticLoss, previous.actorLoss, previous.entropy, previous.meanQ]);
    this.last = next;
    this.count += 1;
  }

  /**
   * (1 - w) meanQ + w mean(g . a): the surrogate whose actor gradient is (1 - w) dQ/da + w dr/da,
   * g = dr/da read from the environment at the sampled actions (a constant here). meanQ alone when
   * w = 0.
   */
  private mixExactGradient(states: Float32Array, actions: tf.Tensor2D, meanQ: tf.Scalar): tf.Scalar {
    const w = this.config.exactGradient;
    if (w === 0 || !this.actionGradient) return meanQ;
    const g = this.actionGradient(states, actions.dataSync() as Float32Array);
    const surrogate = tf.mean(tf.sum(tf.mul(tf.tensor2d(g, actions.shape), actions), 1)) as tf.Scalar;
    if (w === 1) return surrogate;
    return tf.add(tf.mul(meanQ, 1 - w), tf.mul(surrogate, w)) as tf.Scalar;
  }

  metrics(): UpdateMetrics {
    const read = (t: tf.Scalar | undefined) => (t ? (t.dataSync()[0] as number) : Number.NaN);
    return {
      updates: this.count,
      criticLoss: read(this.last?.criticLoss),
      actorLoss: read(this.last?.actorLoss),
      entropy: read(this.last?.entropy),
      meanQ: read(this.last?.meanQ),
      alpha: this.alpha(),
    };
  }

  alpha(): number {
    return Math.exp(this.logAlpha.dataSync()[0] as number);
  }

  act(states: Float32Array, options: ActOptions = {}): Float32Array {
    const actor = options.target ? this.targetActor : this.actor;
    return actor.act(states, options.noise ?? this.actNoise, options.deterministic ?? false);
  }

  qValues(states: Float32Array, actions: Float32Array): Float32Array {
    const S = this.actor.stateDim;
    const n = states.length / S;
    return readAndDispose(
      tf.tidy(() =>
        this.critic.min(tf.tensor2d(states, [n, S]), tf.tensor2d(actions, [n, this.actor.actionDim])),
      ),
    );
  }

  actorGateGradients(batch: TransitionBatch, noise: NoiseSource): GateGradients {
    const actor = this.actor;
    if (!actor.unitGates || !actor.withUnitGates) {
      throw new Error(`actorGateGradients: actor '${actor.kind}' has no unit gates`);
    }
    const withGates = actor.withUnitGates.bind(actor);
    const B = batch.size;
    const S = actor.stateDim;
    const values = actor.unitGates();
    const useEntropy = this.config.autoTemperature || this.config.initialAlpha > 0;
    const tensors = tf.tidy(() => {
      const s = tf.tensor2d(batch.states.subarray(0, B * S), [B, S]);
      const alpha = tf.exp(this.logAlpha);
      // The actor loss of update(), as a function of the gates only (weights are constants here).
      const loss = (...gates: tf.Tensor[]) =>
        withGates(gates as tf.Tensor1D[], () => {
          const sample = actor.sample(s, noise);
          const meanQ = tf.mean(this.critic.min(s, sample.actions, { frozen: true })) as tf.Scalar;
          const value = this.mixExactGradient(batch.states.subarray(0, B * S), sample.actions, meanQ);
          const objective = sample.penalty ? tf.sub(value, sample.penalty) : value;
          if (!useEntropy) return tf.neg(objective) as tf.Scalar;
          let entropy: tf.Scalar;
          if (sample.logProb) entropy = tf.neg(tf.mean(sample.logProb)) as tf.Scalar;
          else if (actor.entropy) entropy = actor.entropy(s, noise);
          else throw new Error(`actor '${actor.kind}' has neither logProb nor entropy()`);
          return tf.sub(tf.neg(objective), tf.mul(alpha, entropy)) as tf.Scalar;
        });
      const { value, grads } = tf.valueAndGrads(loss)(values.map((g) => tf.tensor1d(g)));
      return [value, ...grads];
    });
    const read = tensors.map((t) => (t.dataSync() as Float32Array).slice());
    tf.dispose(tensors);
    return { loss: read[0]![0]!, gradients: read.slice(1) };
  }

  maskActorOptimizer(keep: readonly (Float32Array | null)[]): void {
    const opt = this.actorOpt;
    if (keep.length !== opt.params.length) {
      throw new Error(
        `maskActorOptimizer: expected ${opt.params.length} keep arrays, one per actor variable (${keep.length})`,
      );
    }
    keep.forEach((k, i) => {
      if (k === null) return;
      const size = opt.params[i]!.size;
      if (k.length !== size) {
        throw new Error(`maskActorOptimizer: keep[${i}]: expected ${size} entries (${k.length})`);
      }
      const m = opt.m[i]!;
      const v = opt.v[i]!;
      for (let e = 0; e < size; e++) {
        if (k[e] === 0) {
          m[e] = 0;
          v[e] = 0;
        }
      }
    });
  }

  private optimizers(): [string, Adam][] {
    return [
      ['actorOpt', this.actorOpt],
      ['criticOpt', this.criticOpt],
      ['alphaOpt', this.alphaOpt],
    ];
  }

  saveState(): WeightsArtefact {
    const extra: { name: string; shape: number[]; values: Float32Array }[] = [
      { name: 'logAlpha', shape: [], values: this.logAlpha.dataSync() as Float32Array },
    ];
    for (const [name, opt] of this.optimizers()) {
      opt.params.forEach((p, i) => {
        extra.push({ name: `${name}/m.${i}`, shape: p.shape, values: opt.m[i]! });
        extra.push({ name: `${name}/v.${i}`, shape: p.shape, values: opt.v[i]! });
      });
    }
    const { config } = this;
    return combineArtefacts(
      CHECKPOINT_KIND,
      {
        sac: { ...config, criticHidden: [...config.criticHidden] },
        updates: this.count,
        noise: this.noise.state() as unknown as Record<string, unknown>,
        actNoise: this.actNoise.state() as unknown as Record<string, unknown>,
        adamSteps: Object.fromEntries(this.optimizers().map(([n, o]) => [n, o.step])),
        // With actorEvery > 1 the metrics of a critic-only update repeat the last actor step's
        // losses; saved so a resumed agent reports the same (NaN is stored as null).
        lastScalars: this.last ? lastScalarValues(this.last) : null,
      },
      {
        actor: this.actor.toArtefact(),
        targetActor: this.targetActor.toArtefact(),
        critic: this.critic.toArtefact(),
        targetCritic: this.targetCritic.toArtefact(),
      },
      extra,
    );
  }

  loadState(artefact: WeightsArtefact): void {
    if (artefact.manifest.kind !== CHECKPOINT_KIND) {
      throw new Error(`checkpoint: kind: expected ${CHECKPOINT_KIND} (${artefact.manifest.kind})`);
    }
    const cfg = artefact.manifest.config as {
      updates: number;
      noise: NoiseState;
      actNoise: NoiseState;
      adamSteps: Record<string, number>;
      lastScalars?: Record<keyof LastScalars, number | null> | null;
    };
    this.actor.loadWeights(partOf(artefact, 'actor'));
    this.targetActor.loadWeights(partOf(artefact, 'targetActor'));
    this.critic.loadWeights(partOf(artefact, 'critic'));
    this.targetCritic.loadWeights(partOf(artefact, 'targetCritic'));
    assignValues(this.logAlpha, tensorOf(artefact, 'logAlpha', []));
    for (const [name, opt] of this.optimizers()) {
      opt.params.forEach((p, i) => {
        opt.m[i]!.set(tensorOf(artefact, `${name}/m.${i}`, p.shape));
        opt.v[i]!.set(tensorOf(artefact, `${name}/v.${i}`, p.shape));
      });
      opt.step = cfg.adamSteps[name] ?? 0;
    }
    this.noise.restore(cfg.noise);
    this.actNoise.restore(cfg.actNoise);
    this.count = cfg.updates;
    if (this.last)
      tf.dispose([this.last.criticLoss, this.last.actorLoss, this.last.entropy, this.last.meanQ]);
    this.last = null;
    const saved = cfg.lastScalars;
    if (saved) {
      const scalar = (v: number | null) => tf.keep(tf.scalar(v ?? Number.NaN));
      this.last = {
        criticLoss: scalar(saved.criticLoss),
        actorLoss: scalar(saved.actorLoss),
        entropy: scalar(saved.entropy),
        meanQ: scalar(saved.meanQ),
      };
    }
  }

  dispose(): void {
    this.actor.dispose();
    this.targetActor.dispose();
    this.critic.dispose();
    this.targetCritic.dispose();
    this.logAlpha.dispose();
    if (this.last)
      tf.dispose([this.last.criticLoss, this.last.actorLoss, this.last.entropy, this.last.meanQ]);
    this.last = null;
  }
}

/** Builds an agent around `actor` (which it owns from now on: dispose() frees it). */
export function createSacAgent(
  config: Partial<SacConfig>,
  actor: Actor,
  options: SacAgentOptions = {},
): SacAgent {
  return new Sac(config, actor, options);
}
