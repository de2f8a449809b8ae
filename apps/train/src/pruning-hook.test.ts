/**
 * The EDMSAC hook on a real agent: between two mask recomputations (and after a restore), every
 * masked unit's incoming weights, bias and outgoing weights stay bitwise unchanged while the rest of
 * the actor trains.
 */
import { createNoise } from '@diffcontract/diffusion-actor';
import { entryMasks } from '@diffcontract/pruning';
import {
  allocateBatch,
  createSacAgent,
  diffusionActorFactory,
  type SacAgent,
  setBackend,
} from '@diffcontract/sac';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from './config.js';
import { createActorPruner } from './pruning-hook.js';

await setBackend('wasm');

const S = 3;
const A = 2;
const B = 16;

function batchOf(seed: number) {
  const rng = createNoise(seed);
  const batch = allocateBatch(B, S, A);
  for (let i = 0; i < B * S; i++) batch.states[i] = 2 * rng.nextFloat() - 1;
  for (let i = 0; i < B * A; i++) batch.actions[i] = 2 * rng.nextFloat() - 1;
  for (let b = 0; b < B; b++) batch.rewards[b] = batch.states[b * S]! - batch.actions[b * A]! ** 2;
  return batch;
}

function agentOf(): SacAgent {
  const actor = diffusionActorFactory.create(
    { stateDim: S, actionDim: A, seed: 2 },
    { hidden: [8, 8], timeEmbedding: 4, steps: 3, entropyStates: 4, entropySamples: 3 },
  );
  return createSacAgent({ batchSize: B, criticHidden: [16, 16], actorLr: 3e-3, seed: 1 }, actor);
}

const config = (strategy: 'magnitude' | 'taylor'): TrainConfig => ({
  ...DEFAULT_CONFIG,
  algo: 'edmsac',
  pruning: { strategy, rho: 0.5, pruneEvery: 4, rampShare: 0 },
});

/** Every weight of the actor, its layers' kernels and biases in order (bit patterns). */
const values = (agent: SacAgent) =>
  new Uint32Array(
    Float32Array.from(agent.actor.prunableUnits!().layers.flatMap((l) => [...l.kernel, ...l.bias])).buffer,
  );

/** Asserts masked entries (pruning's own entry masks) are bitwise equal in `before` and `after` and most others moved. */
function expectFrozen(agent: SacAgent, before: Uint32Array, after: Uint32Array): void {
  const masks = agent.actor.unitGates!().map((g) => Uint8Array.from(g));
  expect(masks.flatMap((m) => [...m]).includes(0)).toBe(true);
  const keep = entryMasks(agent.actor.prunableUnits!(), masks).flatMap((l) => [...l.kernel, ...l.bias]);
  expect(keep.length).toBe(before.length);
  let frozen = 0;
  let moved = 0;
  let free = 0;
  keep.forEach((flag, e) => {
    if (flag === 0) {
      frozen++;
      expect(after[e]).toBe(before[e]);
    } else {
      free++;
      if (after[e] !== before[e]) moved++;
    }
  });
  expect(frozen).toBeGreaterThan(0);
  expect(moved).toBeGreaterThan(0.9 * free);
}

describe('pruning hook', () => {
  for (const strategy of ['magnitude', 'taylor'] as const) {
    it(`${strategy}: masked units are frozen between recomputations and after a restore`, () => {
      const agent = agentOf();
      const pruner = createActorPruner(config(strategy), agent, 40)!;
      let seed = 0;
      const step = () => {
        const batch = batchOf(seed++);
        agent.update(batch);
        pruner.afterUpdate(agent.updates, batch);
      };
      for (let k = 0; k < 4; k++) step(); // masks computed at update 4
      expect(pruner.prunedShare()).toBe(0.5);
      const before = values(agent);
      for (let k = 0; k < 3; k++) step(); // updates 5-7, no recomputation
      expectFrozen(agent, before, values(agent));

      // A second agent with live moments restores the hook's state: masked units freeze there too.
      const other = agentOf();
      for (let k = 0; k < 3; k++) other.update(batchOf(100 + k));
      const otherPruner = createActorPruner(config(strategy), other, 40)!;
      otherPruner.restore(JSON.parse(JSON.stringify(pruner.state())));
      const restored = values(other);
      for (let k = 0; k < 3; k++) other.update(batchOf(200 + k));
      expectFrozen(other, restored, values(other));
      agent.dispose();
      other.dispose();
    });
  }
});
