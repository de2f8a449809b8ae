/**
 * model.md section 6's reward as a differentiable tfjs function of (state, action), batched:
 *   r = (U(C)/N - lambda viol(C)) / beta,  C = decode(action)
 * with viol summed over IR1, IR2, IC2 (every period-1 report, off-path rows included) and IIC with
 * sigma = id, exactly as @diffcontract/env scores a contract (reward.test.ts checks it against env's
 * contractReward). Only the oracle uses it: the learners never see the reward's formula.
 */
import * as tf from '@tensorflow/tfjs';

export interface RewardOptions {
  /** number of types */
  K: number;
  /** largest contribution (model.md: 10 for the default sampler) */
  qMax: number;
  /** lambda, the violation weight */
  penalty: number;
}

/** Rewards [B] for raw states [B, 2K + K^2 + 3] and actions [B, 2K + 2K^2] in [-1, 1]. */
export function rewardTensor(states: tf.Tensor2D, actions: tf.Tensor2D, o: RewardOptions): tf.Tensor1D {
  return tf.tidy(() => {
    const { K, qMax, penalty } = o;
    const B = states.shape[0];
    const col = (t: tf.Tensor2D, start: number, size: number) => tf.slice(t, [0, start], [B, size]);
    const theta = col(states, 0, K);
    const prior = col(states, K, K);
    const P = tf.reshape(col(states, 2 * K, K * K), [B, K, K]);
    const a = col(states, 2 * K + K * K, 1);
    const beta = col(states, 2 * K + K * K + 1, 1);
    const delta = col(states, 2 * K + K * K + 2, 1);
    const rMax = tf.mul(beta, Math.log1p(qMax));
    // Actions outside [-1, 1] are clipped, as env's decodeAction does (policies already clip).
    const clipped = tf.clipByValue(actions, -1, 1) as tf.Tensor2D;
    const unit = (start: number, size: number) => tf.div(tf.add(col(clipped, start, size), 1), 2);
    const q1 = tf.mul(unit(0, K), qMax);
    const R1 = tf.mul(unit(K, K), rMax);
    const q2 = tf.reshape(tf.mul(unit(2 * K, K * K), qMax), [B, K, K]);
    const R2 = tf.reshape(tf.mul(unit(2 * K + K * K, K * K), rMax), [B, K, K]);

    // U / N
    const value1 = tf.sub(tf.mul(beta, tf.log1p(q1)), R1);
    const value2 = tf.sub(tf.mul(tf.reshape(beta, [B, 1, 1]), tf.log1p(q2)), R2);
    const continuation = tf.sum(tf.mul(P, value2), 2);
    const utility = tf.sum(tf.mul(prior, tf.add(value1, tf.mul(delta, continuation))), 1);

    const eye = tf.eye(K);
    // u1[b, i, i'] = R1[i'] - a q1[i']^2 / theta_i: period-1 type i taking item i'
    const cost1 = tf.reshape(tf.mul(a, tf.square(q1)), [B, 1, K]);
    const u1 = tf.sub(tf.reshape(R1, [B, 1, K]), tf.div(cost1, tf.reshape(theta, [B, K, 1])));
    // u2[b, i', j, j'] = R2[i'][j'] - a q2[i'][j']^2 / theta_j: period-2 type j, report j', history i'
    const cost2 = tf.reshape(tf.mul(tf.reshape(a, [B, 1, 1]), tf.square(q2)), [B, K, 1, K]);
    const u2 = tf.sub(tf.reshape(R2, [B, K, 1, K]), tf.div(cost2, tf.reshape(theta, [B, 1, K, 1])));
    const truthful1 = tf.sum(tf.mul(u1, eye), 2); // [B, K]: u1[i, i]
    const truthful2 = tf.sum(tf.mul(u2, eye), 3); // [B, K, K]: u2[i', j, j]

    const ir1 = tf.sum(tf.relu(tf.neg(truthful1)), 1);
    const ir2 = tf.sum(tf.relu(tf.neg(truthful2)), [1, 2]);
    const ic2 = tf.sum(tf.relu(tf.sub(u2, tf.expandDims(truthful2, 3))), [1, 2, 3]);
    // IIC (sigma = id): type i's total from report i' = u1[i, i'] + delta sum_j P[i][j] u2[i', j, j]
    const expected = tf.matMul(P, truthful2, false, true); // [B, i, i'] = sum_j P[i][j] truthful2[i'][j]
    const total = tf.add(u1, tf.mul(tf.reshape(delta, [B, 1, 1]), expected));
    const iic = tf.sum(tf.relu(tf.sub(total, tf.expandDims(tf.sum(tf.mul(total, eye), 2), 2))), [1, 2]);
    const violation = tf.add(tf.add(ir1, ir2), tf.add(ic2, iic));

    return tf.div(tf.sub(utility, tf.mul(violation, penalty)), tf.reshape(beta, [B])) as tf.Tensor1D;
  });
}

/** symlog(r) = sign(r) ln(1 + |r|), the training app's reward transform. */
export function symlogTensor(r: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.mul(tf.sign(r), tf.log1p(tf.abs(r))) as tf.Tensor1D);
}
