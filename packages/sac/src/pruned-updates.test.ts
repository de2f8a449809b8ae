/**
 * EDMSAC's "masked weights receive no update while masked": a real agent around a diffusion actor
 * whose hidden units are gated by keep masks, with the actor Adam's moments zeroed at the masked
 * entries (maskActorOptimizer). Masked units' incoming weights, biases and outgoing weights must stay
 * bitwise unchanged over further updates while the rest trains; without the zeroing, the moments
 * left from the unmasked updates keep moving them.
 */
import { createNoise } from '@diffcontract/diffusion-actor';
import { entryMasks, validateNetwork } from '@diffcontract/pruning';
import { describe, expect, test } from 'vitest';
import { createSacAgent } from './agent.js';
import { diffusionActorFactory } from './builtins.js';
import { allocateBatch, type TransitionBatch } from './replay.js';
import { useTestBackend } from './test-backend.js';

await useTestBackend();

const S = 3;
const A = 2;
const B = 32;

function batchOf(seed: number): TransitionBatch {
  const rng = createNoise(seed);
  const batch = allocateBatch(B, S, A);
  for (let i = 0; i < B * S; i++) batch.states[i] = 2 * rng.nextFloat() - 1;
  for (let i = 0; i < B * A; i++) batch.actions[i] = 2 * rng.nextFloat() - 1;
  for (let b = 0; b < B; b++) batch.rewards[b] = batch.states[b * S]! * batch.actions[b * A]!;
  return batch;
}

/** Keeps every unit except every third one (per hidden layer: time hidden 8, eps hidden 12, 12). */
function unitMasks(): Uint8Array[] {
  return [8, 12, 12].map((w) => Uint8Array.from({ length: w }, (_, j) => (j % 3 === 1 ? 0 : 1)));
}

function setup(zeroMoments: boolean) {
  const actor = diffusionActorFactory.create(
    { stateDim: S, actionDim: A, seed: 4 },
    { hidden: [12, 12], timeEmbedding: 4, steps: 3, entropyStates: 4, entropySamples: 3 },
  );
  const agent = createSacAgent({ batchSize: B, criticHidden: [16, 16], actorLr: 3e-3, seed: 2 }, actor);
  // Unmasked updates first, so the moments of soon-masked weights are non-zero.
  for (let k = 0; k < 3; k++) agent.update(batchOf(k));
  const masks = unitMasks();
  const floats = masks.map((m) => Float32Array.from(m));
  const keep = actor.variableKeepMasks!(floats);
  agent.actor.setUnitMasks!(floats);
  agent.targetActor.setUnitMasks!(floats);
  if (zeroMoments) agent.maskActorOptimizer(keep);
  return { agent, keep };
}

const read = (vars: readonly { dataSync(): unknown }[]) =>
  vars.map((v) => (v.dataSync() as Float32Array).slice());

describe('masked actor weights', () => {
  test("keep masks line up with actor.variables and are pruning's entry masks of the actor's units", () => {
    const { agent, keep } = setup(true);
    expect(keep.map((k) => k.length)).toEqual(agent.actor.variables.map((v) => v.size));
    // The variables hold the layers' kernels and biases in layer order (the first layer's kernel
    // as row blocks), so both flatten to the same sequence.
    const units = agent.actor.prunableUnits!();
    validateNetwork(units);
    const expected = entryMasks(units, unitMasks()).flatMap((l) => [...l.kernel, ...l.bias]);
    expect(keep.flatMap((k) => [...k])).toEqual(expected);
    agent.dispose();
  });

  test('with zeroed moments, masked units stay bitwise frozen while the rest trains', () => {
    const { agent, keep } = setup(true);
    const before = read(agent.actor.variables);
    const targetBefore = read(agent.targetActor.variables);
    for (let k = 10; k < 16; k++) agent.update(batchOf(k));
    const after = read(agent.actor.variables);
    const targetAfter = read(agent.targetActor.variables);
    let frozen = 0;
    let moved = 0;
    let kept = 0;
    keep.forEach((k, i) => {
      k.forEach((flag, e) => {
        if (flag === 0) {
          frozen++;
          // bitwise: compare the float32 bit patterns, not values within a tolerance
          expect(new Uint32Array(after[i]!.buffer)[e]).toBe(new Uint32Array(before[i]!.buffer)[e]);
          // the target follows the frozen weight by Polyak averaging: never farther away than before
          const d0 = Math.abs(targetBefore[i]![e]! - before[i]![e]!);
          const d1 = Math.abs(targetAfter[i]![e]! - after[i]![e]!);
          expect(d1).toBeLessThanOrEqual(d0);
        } else {
          kept++;
          if (after[i]![e] !== before[i]![e]) moved++;
        }
      });
    });
    // every third unit of each layer: its incoming column, bias and outgoing row
    expect(frozen).toBeGreaterThan(100);
    expect(moved).toBeGreaterThan(0.9 * kept);
    agent.dispose();
  });

  test('without zeroing, stale moments keep moving masked weights', () => {
    const { agent, keep } = setup(false);
    const before = read(agent.actor.variables);
    for (let k = 10; k < 13; k++) agent.update(batchOf(k));
    const after = read(agent.actor.variables);
    let drifted = 0;
    keep.forEach((k, i) => {
      k.forEach((flag, e) => {
        if (flag === 0 && after[i]![e] !== before[i]![e]) drifted++;
      });
    });
    expect(drifted).toBeGreaterThan(50);
    agent.dispose();
  });

  test('rejects keep arrays of the wrong count or size', () => {
    const { agent, keep } = setup(true);
    expect(() => agent.maskActorOptimizer(keep.slice(1))).toThrow(/expected \d+ keep arrays/);
    const wrong = keep.map((k, i) => (i === 0 ? new Float32Array(1) : k));
    expect(() => agent.maskActorOptimizer(wrong)).toThrow(/keep\[0\]: expected \d+ entries \(1\)/);
    agent.dispose();
  });
});
