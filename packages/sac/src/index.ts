export type { Actor, ActorFactory, ActorSample, ActorSpec, NoiseSource, WeightsArtefact } from './actor.js';
export { type ActionGradient, createSacAgent, type SacAgentOptions } from './agent.js';
export type { ActOptions, GateGradients, SacAgent, UpdateMetrics } from './agent-types.js';
export { type BackendInfo, type BackendName, BackendUnavailableError, setBackend } from './backend.js';
export { diffusionActorFactory, gaussianActorFactory } from './builtins.js';
export { DEFAULT_SAC_CONFIG, resolveSacConfig, type SacConfig } from './config.js';
export { TwinCritic } from './critic.js';
export {
  createGaussianActor,
  DEFAULT_GAUSSIAN_CONFIG,
  GAUSSIAN_KIND,
  GaussianActor,
  type GaussianActorConfig,
  type GaussianActorOptions,
  resolveGaussianConfig,
} from './gaussian.js';
export {
  actors,
  type Environment,
  type EnvironmentFactory,
  environments,
  Registry,
  registerActor,
  registerEnvironment,
} from './registry.js';
export {
  allocateBatch,
  ReplayBuffer,
  type ReplayBufferOptions,
  type ReplaySnapshot,
  type TransitionBatch,
} from './replay.js';
