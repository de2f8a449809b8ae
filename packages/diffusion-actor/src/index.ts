export {
  DEFAULT_DIFFUSION_CONFIG,
  type DiffusionActorConfig,
  type DiffusionActorOptions,
  resolveDiffusionConfig,
} from './config.js';
export {
  loadArtefact,
  packArtefact,
  saveArtefact,
  sizeOf,
  type TensorEntry,
  tensorOf,
  WEIGHTS_FORMAT,
  type WeightsArtefact,
  type WeightsManifest,
} from './nn/artefact.js';
export { createNoise, type NoiseSource, type NoiseState } from './nn/noise.js';
export { type ScheduleOptions, type VpSchedule, vpSchedule } from './schedule.js';
