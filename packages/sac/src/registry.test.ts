import { createNoise } from '@diffcontract/diffusion-actor';
import { describe, expect, test } from 'vitest';
import {
  actors,
  allocateBatch,
  createSacAgent,
  environments,
  registerActor,
  registerEnvironment,
} from './index.js';
import { linearActorFactory } from './test-actor.js';
import { useTestBackend } from './test-backend.js';

await useTestBackend();

describe('plugin registries', () => {
  test('built-in actors are registered; unknown names list what exists', () => {
    expect(actors.names()).toEqual(expect.arrayContaining(['diffusion', 'gaussian']));
    expect(() => actors.get('nope')).toThrow(
      /^actor: unknown name \(nope\); registered: .*diffusion, gaussian/,
    );
  });

  test('a package-provided actor and environment resolve by name and train with the agent', () => {
    registerActor('linear', linearActorFactory);
    expect(() => registerActor('linear', linearActorFactory)).toThrow('actor: already registered (linear)');
    expect(() => registerActor('Bad Name', linearActorFactory)).toThrow(
      'actor: name must be lower-case kebab-case ("Bad Name")',
    );
    registerEnvironment('constant-bandit', ({ seed }) => {
      const rng = createNoise(seed);
      let n = 0;
      return {
        stateDim: 2,
        actionDim: 1,
        reset: (batch) => {
          n = batch;
          return Float32Array.from({ length: batch * 2 }, () => rng.nextFloat());
        },
        step: (actions) => ({
          reward: Float32Array.from({ length: n }, (_, i) => -((actions[i]! - 0.5) ** 2)),
        }),
      };
    });
    const env = environments.get('constant-bandit')({ seed: 1 });
    const actor = actors.get('linear').create({ stateDim: env.stateDim, actionDim: env.actionDim, seed: 0 });
    const agent = createSacAgent({ batchSize: 8, criticHidden: [8] }, actor);
    const states = env.reset(8);
    const actions = agent.act(states);
    const { reward } = env.step(actions);
    const batch = allocateBatch(8, 2, 1);
    batch.states.set(states);
    batch.actions.set(actions);
    batch.rewards.set(Array.from(reward));
    agent.update(batch);
    expect(agent.updates).toBe(1);
    // The checkpoint records the plugin's kind, so a loader can find the factory by name.
    const part = agent.saveState().manifest.config.parts as Record<string, { kind: string }>;
    expect(part.actor!.kind).toBe('linear');
    agent.dispose();
  });
});
