import {
  ActorInference,
  actorUnitsOfArtefact,
  createNoise,
  DiffusionActor,
  tensorOf,
} from '@diffcontract/diffusion-actor';
import { setBackend } from '@diffcontract/sac';
import { describe, expect, it } from 'vitest';
import { compactPolicy } from './compact-export.js';

await setBackend('wasm');

const S = 5;
const A = 3;
const E = 4;
const H = 10;

function prunedActor(): { actor: DiffusionActor; masks: Float32Array[] } {
  const actor = new DiffusionActor({
    stateDim: S,
    actionDim: A,
    hidden: [H, H],
    timeEmbedding: E,
    steps: 4,
    seed: 9,
  });
  // time hidden keeps 6 of 8, eps hidden layers 6 and 4 of 10
  const masks = [
    Float32Array.from({ length: 2 * E }, (_, j) => (j === 1 || j === 6 ? 0 : 1)),
    Float32Array.from({ length: H }, (_, j) => (j % 3 === 0 ? 0 : 1)),
    Float32Array.from({ length: H }, (_, j) => (j < 6 ? 0 : 1)),
  ];
  actor.setUnitMasks(masks);
  return { actor, masks };
}

function randomStates(count: number, seed: number): Float32Array {
  const rng = createNoise(seed);
  return Float32Array.from({ length: count * S }, () => 2 * rng.nextFloat() - 1);
}

describe('compacted export', () => {
  it('gives the masked actor’s actions on random states, noisy and noise-free', () => {
    const { actor } = prunedActor();
    const dense = actor.toArtefact();
    const compact = compactPolicy(dense)!;
    const states = randomStates(300, 2);
    const small = new ActorInference(compact.artefact);
    const reference = actor.act(states, createNoise(5));
    const fromCompact = small.act(states, createNoise(5));
    let worst = 0;
    reference.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - fromCompact[i]!));
    });
    expect(worst).toBeLessThan(1e-5);
    const deterministic = new ActorInference(dense).act(states, null, true);
    const deterministicSmall = small.act(states, null, true);
    deterministic.forEach((v, i) => {
      expect(deterministicSmall[i]).toBeCloseTo(v, 5);
    });
    // and the masks matter: the same weights unmasked act differently
    actor.setUnitMasks(null);
    const unmasked = actor.act(states, createNoise(5));
    expect(unmasked.some((v, i) => Math.abs(v - reference[i]!) > 1e-3)).toBe(true);
    actor.dispose();
  });

  it('is physically smaller, with FLOPs per step as counted by hand', () => {
    const { actor } = prunedActor();
    const { artefact, summary } = compactPolicy(actor.toArtefact())!;
    expect(summary.widths).toEqual({ dense: [8, 10, 10], compacted: [6, 6, 4] });
    expect(artefact.manifest.tensors.some((t) => t.name.startsWith('mask.'))).toBe(false);
    expect(artefact.manifest.config.hidden).toEqual([6, 4]);
    expect(tensorOf(artefact, 'eps.1.kernel').length).toBe(6 * 4);
    // per dense layer 2 in out, plus 1 per Mish output; time MLP E -> t -> E, eps (A+E+S) -> h1 -> h2 -> A
    const flops = (t: number, h1: number, h2: number) =>
      2 * E * t + t + 2 * t * E + 2 * (A + E + S) * h1 + h1 + 2 * h1 * h2 + h2 + 2 * h2 * A;
    expect(summary.flopsPerStep).toEqual({ dense: flops(8, 10, 10), compacted: flops(6, 6, 4) });
    const params = (t: number, h1: number, h2: number) =>
      (E + 1) * t + (t + 1) * E + (A + E + S + 1) * h1 + (h1 + 1) * h2 + (h2 + 1) * A;
    expect(summary.parameters).toEqual({ dense: params(8, 10, 10), compacted: params(6, 6, 4) });
    actor.dispose();
  });

  it('a policy without masks has nothing to compact', () => {
    const actor = new DiffusionActor({
      stateDim: S,
      actionDim: A,
      hidden: [H, H],
      timeEmbedding: E,
      seed: 1,
    });
    expect(actorUnitsOfArtefact(actor.toArtefact()).masks).toBeNull();
    expect(compactPolicy(actor.toArtefact())).toBeNull();
    actor.dispose();
  });
});
