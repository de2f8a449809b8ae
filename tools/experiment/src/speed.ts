/**
 * Contract-generation speed of a trained EDMSAC actor, dense vs compacted. The dense actor is the run's
 * policy artefact as saved (masked units still computed, their outputs multiplied by zero); the
 * compacted actor is the same policy with the masked units physically removed (@diffcontract/pruning's
 * compactNetwork). Both run in diffusion-actor's ActorInference (the WebAssembly kernels contracts are
 * generated with), noise-free as in evaluation, on the same states; their actions must agree to float
 * tolerance, so the speed-up is for the same contracts.
 *
 * Timing alternates dense and compacted repetitions (load changes hit both alike) and reports medians
 * and the spread of the per-repetition ratio.
 */
import {
  ActorInference,
  actorUnitsOfArtefact,
  compactedArtefact,
  loadArtefact,
  type WeightsArtefact,
} from '@diffcontract/diffusion-actor';
import { encodeState, sampleMarkets, stateDim } from '@diffcontract/env';
import { compactNetwork, groupWidths } from '@diffcontract/pruning';
import { median, quantileSorted } from './stats.js';

export interface CompactedActor {
  artefact: WeightsArtefact;
  flops: { before: number; after: number };
  parameters: { before: number; after: number };
  /** hidden widths before and after (time hidden, main hidden 1, main hidden 2) */
  widths: { before: number[]; after: number[] };
}

/** The policy with its masked units removed; throws when the policy carries no masks. */
export function compactPolicy(artefact: WeightsArtefact): CompactedActor {
  const units = actorUnitsOfArtefact(artefact);
  if (!units.masks) throw new Error('policy: no pruning masks to compact with');
  const result = compactNetwork(units, units.masks);
  return {
    artefact: compactedArtefact(artefact, result.network),
    flops: result.flops,
    parameters: result.parameters,
    widths: { before: groupWidths(units), after: groupWidths(result.network) },
  };
}

export interface SpeedResult {
  policy: string;
  contracts: number;
  repetitions: number;
  denoisingSteps: number;
  denseMsPerContract: number;
  compactMsPerContract: number;
  /** dense / compacted time, median over repetitions, with the 10% and 90% quantiles */
  speedup: number;
  speedupLo: number;
  speedupHi: number;
  maxActionDifference: number;
  flops: { before: number; after: number };
  parameters: { before: number; after: number };
  widths: { before: number[]; after: number[] };
}

/** Times generating `contracts` contracts with the dense and the compacted actor of one policy. */
export function timeDenseVsCompacted(policyPrefix: string, contracts = 1000, repetitions = 15): SpeedResult {
  const dense = loadArtefact(policyPrefix);
  const compact = compactPolicy(dense);
  const denseActor = new ActorInference(dense);
  const compactActor = new ActorInference(compact.artefact);
  const S = denseActor.stateDim;
  // Markets from a seed of their own (not the evaluation set, not a training stream).
  const markets = sampleMarkets(0x5bee_d000, contracts);
  if (stateDim(markets[0]!.theta.length) !== S)
    throw new Error(`${policyPrefix}: state size ${S} does not match K = 3`);
  const states = new Float32Array(contracts * S);
  markets.forEach((m, i) => {
    encodeState(m, states, i * S);
  });
  const a = denseActor.act(states, null, true);
  const b = compactActor.act(states, null, true);
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
  const time = (actor: ActorInference) => {
    const t0 = performance.now();
    actor.act(states, null, true);
    return performance.now() - t0;
  };
  // warm-up of both (wasm tier-up), then alternating measured repetitions
  for (let r = 0; r < 3; r++) {
    time(denseActor);
    time(compactActor);
  }
  const denseMs: number[] = [];
  const compactMs: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < repetitions; r++) {
    const [d, c] = r % 2 === 0 ? [time(denseActor), time(compactActor)] : [0, time(compactActor)];
    const dd = r % 2 === 0 ? d : time(denseActor);
    denseMs.push(dd);
    compactMs.push(c);
    ratios.push(dd / c);
  }
  ratios.sort((x, y) => x - y);
  return {
    policy: policyPrefix,
    contracts,
    repetitions,
    denoisingSteps: denseActor.steps,
    denseMsPerContract: median(denseMs) / contracts,
    compactMsPerContract: median(compactMs) / contracts,
    speedup: quantileSorted(ratios, 0.5),
    speedupLo: quantileSorted(ratios, 0.1),
    speedupHi: quantileSorted(ratios, 0.9),
    maxActionDifference: maxDiff,
    flops: compact.flops,
    parameters: compact.parameters,
    widths: compact.widths,
  };
}
