/**
 * `diffcontract-train critic RUN_DIR`: how well the trained critic knows the reward's slope in the
 * action where the actor reads it, at the policy's noise-free actions. The actor follows
 * d min(Q1, Q2) / da; if that points elsewhere than the true d r / da, no amount of actor training
 * fixes the contract. Central differences per action coordinate (both sides clipped to [-1, 1]) of
 * the critic and of the environment's (transformed) reward, on fresh markets from a seed of their
 * own; the summary is the mean cosine between the two slope vectors per market, their mean sizes,
 * and the critic's level offset Q - r at the policy.
 */
import { join } from 'node:path';
import type { WeightsManifest } from '@diffcontract/diffusion-actor';
import { setBackend } from '@diffcontract/sac';
import { loadCheckpoint } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import { UsageError } from './config-load.js';
import { RUN_FILES } from './rundir.js';
import { createRunParts } from './train.js';

/** Markets of the check: not the training stream, not the evaluation set, not the probe. */
export const CRITIC_CHECK_SEED = 0x0c417c;

export interface SlopeCheck {
  markets: number;
  /** finite-difference half-step in action units */
  step: number;
  /** mean over markets of cos(dQ/da, dr/da) over the action coordinates */
  meanCosine: number;
  /** mean over markets and coordinates of |dQ/da| and |dr/da| */
  meanAbsCriticSlope: number;
  meanAbsRewardSlope: number;
  /** mean over markets of Q(s, a) - r(s, a) at the policy's action */
  meanLevelOffset: number;
  /** per action coordinate: mean over markets of dQ/da and dr/da */
  perCoordinate: { critic: number; reward: number }[];
}

/**
 * `critic(actions)` and `reward(actions)` score one action per market of a fixed batch of `n`
 * markets (row-major n x A); `actions` are the policy's.
 */
export function criticSlopeCheck(
  critic: (actions: Float32Array) => ArrayLike<number>,
  reward: (actions: Float32Array) => ArrayLike<number>,
  actions: Float32Array,
  A: number,
  step: number,
): SlopeCheck {
  const n = actions.length / A;
  const dq: number[][] = [];
  const dr: number[][] = [];
  for (let d = 0; d < A; d++) {
    const plus = actions.slice();
    const minus = actions.slice();
    for (let i = 0; i < n; i++) {
      plus[i * A + d] = Math.min(1, actions[i * A + d]! + step);
      minus[i * A + d] = Math.max(-1, actions[i * A + d]! - step);
    }
    const qp = critic(plus);
    const qm = critic(minus);
    const rp = reward(plus);
    const rm = reward(minus);
    const cq: number[] = [];
    const cr: number[] = [];
    for (let i = 0; i < n; i++) {
      const width = plus[i * A + d]! - minus[i * A + d]!;
      cq.push(width > 0 ? (qp[i]! - qm[i]!) / width : 0);
      cr.push(width > 0 ? (rp[i]! - rm[i]!) / width : 0);
    }
    dq.push(cq);
    dr.push(cr);
  }
  const q0 = critic(actions);
  const r0 = reward(actions);
  let cosine = 0;
  let offset = 0;
  for (let i = 0; i < n; i++) {
    let dot = 0;
    let qq = 0;
    let rr = 0;
    for (let d = 0; d < A; d++) {
      dot += dq[d]![i]! * dr[d]![i]!;
      qq += dq[d]![i]! ** 2;
      rr += dr[d]![i]! ** 2;
    }
    cosine += qq > 0 && rr > 0 ? dot / Math.sqrt(qq * rr) : 0;
    offset += q0[i]! - r0[i]!;
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const meanAbs = (rows: number[][]) => mean(rows.map((row) => mean(row.map(Math.abs))));
  return {
    markets: n,
    step,
    meanCosine: cosine / n,
    meanAbsCriticSlope: meanAbs(dq),
    meanAbsRewardSlope: meanAbs(dr),
    meanLevelOffset: offset / n,
    perCoordinate: dq.map((row, d) => ({ critic: mean(row), reward: mean(dr[d]!) })),
  };
}

/** The check on a run's newest checkpoint (its critic and its actor, masks included, at that point). */
export async function checkRunCritic(
  runDir: string,
  config: TrainConfig,
  options: { markets: number; step: number },
): Promise<SlopeCheck> {
  const cp = loadCheckpoint<{ agentManifest: WeightsManifest; pruner: unknown }>(
    join(runDir, RUN_FILES.checkpoints),
  );
  if (!cp) throw new UsageError(`RUN_DIR: the run has no checkpoint (${runDir})`);
  await setBackend(config.backend);
  const { env, agent, pruner } = createRunParts(config, CRITIC_CHECK_SEED);
  try {
    agent.loadState({ manifest: cp.state.agentManifest, values: cp.blobs.agent as Float32Array });
    pruner?.restore(cp.state.pruner);
    const states = env.reset(options.markets);
    const actions = agent.act(states, { deterministic: true });
    return criticSlopeCheck(
      (a) => agent.qValues(states, a),
      (a) => Float64Array.from(env.step(a).reward),
      actions,
      env.actionDim,
      options.step,
    );
  } finally {
    agent.dispose();
  }
}
