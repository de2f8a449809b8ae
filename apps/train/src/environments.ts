/**
 * The environments this app provides to the plugin registry of @diffcontract/sac. The registry
 * leaves the contract environment to the app because @diffcontract/sac does not depend on the model.
 * Contract for any registered environment (what `--resume` relies on): all randomness is drawn in
 * `reset`, a fixed amount per call for a given batch size, and `step` draws none.
 */
import {
  ACTION_FORMULATIONS,
  type ActionFormulation,
  type BatchResult,
  ContractEnvironment,
} from '@diffcontract/env';
import { type Environment, type EnvironmentFactory, environments } from '@diffcontract/sac';

export const CONTRACT_ENVIRONMENT = 'two-period-contract';

export type RewardTransform = 'none' | 'symlog';
export const REWARD_TRANSFORMS: readonly RewardTransform[] = ['none', 'symlog'];

/**
 * symlog(r) = sign(r) ln(1 + |r|). Episodes are one step long and the reward is a deterministic
 * function of (state, action), so any strictly increasing transform leaves the best action of every
 * state unchanged; symlog compresses the huge penalties of early, badly infeasible contracts
 * (rewards near -1000) so that the critic's squared error does not drown the differences of a few
 * hundredths that separate good feasible contracts.
 */
export function symlog(r: number): number {
  return Math.sign(r) * Math.log1p(Math.abs(r));
}

/** d symlog(r) / dr = 1 / (1 + |r|). */
function symlogSlope(r: number): number {
  return 1 / (1 + Math.abs(r));
}

interface Transform {
  value: (r: number) => number;
  slope: (r: number) => number;
}

const TRANSFORMS: Record<RewardTransform, Transform> = {
  none: { value: (r) => r, slope: () => 1 },
  symlog: { value: symlog, slope: symlogSlope },
};

/**
 * The contract environment with its reward passed through `transform`; utility and violation stay
 * raw. In the allocation formulation it also has the exact action-gradient of the transformed
 * reward (chain rule), in the units the critic learns.
 */
class TransformedEnvironment implements Environment {
  readonly stateDim: number;
  readonly actionDim: number;
  readonly actionGradient?: (states: Float32Array, actions: Float32Array) => Float32Array;
  private transformed = new Float64Array(0);
  constructor(
    private readonly inner: ContractEnvironment,
    private readonly transform: Transform,
  ) {
    this.stateDim = inner.stateDim;
    this.actionDim = inner.actionDim;
    if (inner.action === 'allocation') {
      this.actionGradient = (states, actions) => {
        const { reward, gradient } = inner.actionGradient(states, actions);
        const A = this.actionDim;
        for (let b = 0; b < reward.length; b++) {
          const slope = transform.slope(reward[b]!);
          if (slope === 1) continue;
          for (let v = 0; v < A; v++) gradient[b * A + v] *= slope;
        }
        return gradient;
      };
    }
  }
  reset(batch: number): Float32Array {
    return this.inner.reset(batch);
  }
  step(actions: Float32Array): BatchResult {
    const result = this.inner.step(actions);
    if (this.transformed.length !== result.reward.length)
      this.transformed = new Float64Array(result.reward.length);
    for (let i = 0; i < result.reward.length; i++)
      this.transformed[i] = this.transform.value(result.reward[i]!);
    return { ...result, reward: this.transformed };
  }
}

/**
 * model.md section 6 on the default market sampler. Options: seed, action ('allocation' or
 * 'contract'), penalty, scale ('beta' or a number), rewardTransform ('none' or 'symlog').
 */
export const contractEnvironmentFactory: EnvironmentFactory = (options) => {
  const { seed, action, penalty, scale, rewardTransform = 'none', ...rest } = options;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new Error(`environment.${unknown[0]}: unknown option (${JSON.stringify(rest[unknown[0]!])})`);
  }
  if (!REWARD_TRANSFORMS.includes(rewardTransform as RewardTransform)) {
    throw new Error(
      `environment.rewardTransform: must be one of ${REWARD_TRANSFORMS.join(', ')} (${JSON.stringify(rewardTransform)})`,
    );
  }
  if (action !== undefined && !ACTION_FORMULATIONS.includes(action as ActionFormulation)) {
    throw new Error(
      `environment.action: must be one of ${ACTION_FORMULATIONS.join(', ')} (${JSON.stringify(action)})`,
    );
  }
  const env = new ContractEnvironment({
    seed,
    action: action as ActionFormulation | undefined,
    penalty: penalty as number | undefined,
    scale: scale === 'beta' || scale === undefined ? undefined : (scale as number),
  });
  return new TransformedEnvironment(env, TRANSFORMS[rewardTransform as RewardTransform]);
};

export function registerBuiltinEnvironments(): void {
  if (!environments.has(CONTRACT_ENVIRONMENT))
    environments.register(CONTRACT_ENVIRONMENT, contractEnvironmentFactory);
}
