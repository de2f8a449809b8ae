/**
 * Plugin registries. The training app resolves its parts by name (config `actor`, `environment`),
 * so a workspace package adds an actor or an environment by calling `registerActor` /
 * `registerEnvironment` at import time (pruning strategies have their own registry in
 * `@diffcontract/pruning`, which must not depend on tfjs):
 *
 *   import { registerActor } from '@diffcontract/sac';
 *   registerActor('my-actor', { create: (spec, options) => new MyActor(spec, options), load: MyActor.load });
 *
 * Built-in entries: actors 'diffusion' and 'gaussian' (registered by this package's index). The
 * environment 'two-period-contract' is registered by whoever wraps `@diffcontract/env`'s
 * ContractEnvironment (the training app), since this package does not prescribe the environment.
 */
import type { ActorFactory } from './actor.js';

export class Registry<T> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly what: string) {}

  register(name: string, entry: T, options: { replace?: boolean } = {}): void {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) {
      throw new Error(`${this.what}: name must be lower-case kebab-case (${JSON.stringify(name)})`);
    }
    if (this.entries.has(name) && !options.replace)
      throw new Error(`${this.what}: already registered (${name})`);
    this.entries.set(name, entry);
  }

  get(name: string): T {
    const entry = this.entries.get(name);
    if (entry === undefined) {
      throw new Error(
        `${this.what}: unknown name (${name}); registered: ${this.names().join(', ') || 'none'}`,
      );
    }
    return entry;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  names(): string[] {
    return [...this.entries.keys()].sort();
  }
}

/**
 * A one-step (contextual bandit) environment over flat typed arrays, the shape of
 * `@diffcontract/env`'s ContractEnvironment.
 */
export interface Environment {
  readonly stateDim: number;
  readonly actionDim: number;
  /** Draws `batch` fresh contexts and returns their states, `batch * stateDim` values. */
  reset(batch: number): Float32Array;
  /** Rewards (one per context of the last reset) for `batch * actionDim` actions in [-1, 1]. */
  step(actions: Float32Array): { reward: ArrayLike<number> };
  /** Exact dr/da at (states, actions), row-major like the actions, where the environment has one. */
  actionGradient?(states: Float32Array, actions: Float32Array): Float32Array;
}

export type EnvironmentFactory = (options: { seed: number } & Record<string, unknown>) => Environment;

export const actors = new Registry<ActorFactory>('actor');
export const environments = new Registry<EnvironmentFactory>('environment');

export function registerActor(name: string, factory: ActorFactory, options?: { replace?: boolean }): void {
  actors.register(name, factory, options);
}
export function registerEnvironment(
  name: string,
  factory: EnvironmentFactory,
  options?: { replace?: boolean },
): void {
  environments.register(name, factory, options);
}
