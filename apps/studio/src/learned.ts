/**
 * The one place where a policy becomes a contract (model.md section 6). A policy of the allocation
 * formulation (action K + K^2: the contributions q) gets the LP's cheapest rewards, exactly priced
 * by optimum's repair, which keeps q whenever it is implementable; a policy of the contract
 * formulation (action 2K + 2K^2) is decoded whole and repaired. The formulation is read from the
 * policy's action dimension.
 */
import { ActorInference, createNoise, type WeightsArtefact } from '@diffcontract/diffusion-actor/inference';
import {
  type ActionFormulation,
  type Contract,
  cloudUtility,
  contractOfAction,
  type ExactContract,
  type ExactMarket,
  encodeState,
  toDecimalContract,
  toFloatMarket,
} from '@diffcontract/env';
import { repairContract } from '@diffcontract/optimum';
import { typesOfStateDim } from './policy-types.js';

export interface LearnedCandidate {
  /** the policy's own contract, before repair (not feasible in general) */
  raw: Contract<number>;
  /** the contract delivered: exactly feasible for the market as given */
  contract: ExactContract;
  cloudUtility: number;
  /** true when repair had to move the contributions q */
  changedAllocation: boolean;
}

export interface LearnedResult {
  best: LearnedCandidate;
  /** which candidate won: 0 is the noise-free action, the others are noisy samples */
  bestIndex: number;
  candidates: number;
  /** every candidate's cloud utility after repair, in order */
  utilities: number[];
}

export interface LearnedOptions {
  /** seed of the sampling noise; the same seed gives the same candidates */
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

/** The formulation a policy's action belongs to, from its dimension (null: neither for this K). */
export function policyFormulation(actionDim: number, K: number): ActionFormulation | null {
  if (actionDim === K + K * K) return 'allocation';
  if (actionDim === 2 * K + 2 * K * K) return 'contract';
  return null;
}

/** Number of types K a policy was trained for. */
export function policyTypes(policy: WeightsArtefact): number {
  return typesOfStateDim(policy.manifest.config.stateDim);
}

const inferences = new WeakMap<WeightsArtefact, ActorInference>();

/**
 * The best of `candidates` contracts of `policy` for `market` by the cloud's utility after repair:
 * the noise-free action and candidates - 1 samples of the diffusion chain.
 */
export async function learnedContract(
  market: ExactMarket,
  policy: WeightsArtefact,
  candidates: number,
  options: LearnedOptions = {},
): Promise<LearnedResult> {
  if (!Number.isSafeInteger(candidates) || candidates < 1)
    throw new RangeError(`candidates: must be a whole number >= 1 (${candidates})`);
  const K = market.theta.length;
  const trainedFor = policyTypes(policy);
  if (trainedFor !== K) throw new Error(`policy: trained for K = ${trainedFor}, the market has K = ${K}`);
  let inference = inferences.get(policy);
  if (inference === undefined) {
    inference = new ActorInference(policy);
    inferences.set(policy, inference);
  }
  const float = toFloatMarket(market);
  const S = inference.stateDim;
  const A = inference.actionDim;
  const formulation = policyFormulation(A, K);
  if (formulation === null)
    throw new Error(`policy: an action of ${A} numbers is neither formulation for K = ${K}`);
  const state = encodeState(float);
  const actions = new Float32Array(candidates * A);
  actions.set(inference.act(state, null, true));
  if (candidates > 1) {
    const states = new Float32Array((candidates - 1) * S);
    for (let c = 0; c < candidates - 1; c++) states.set(state, c * S);
    actions.set(inference.act(states, createNoise(options.seed ?? 0)), A);
  }
  let best: LearnedCandidate | undefined;
  let bestIndex = 0;
  const utilities: number[] = [];
  for (let c = 0; c < candidates; c++) {
    const raw = contractOfAction(float, actions.subarray(c * A, (c + 1) * A), formulation);
    const repaired = await repairContract(market, toDecimalContract(raw));
    utilities.push(repaired.cloudUtility);
    if (best === undefined || repaired.cloudUtility > best.cloudUtility) {
      best = { raw, ...repaired };
      bestIndex = c;
    }
    options.onProgress?.(c + 1, candidates);
  }
  return { best: best!, bestIndex, candidates, utilities };
}

/** Raw cloud utility of the policy's own (unrepaired) contract, for the comparison table. */
export function rawUtility(market: ExactMarket, raw: Contract<number>): number {
  return cloudUtility(toFloatMarket(market), raw);
}
