export { createDiffusionActor, DIFFUSION_KIND, DiffusionActor, sinusoidalEmbedding } from './actor.js';
export {
  DEFAULT_DIFFUSION_CONFIG,
  type DiffusionActorConfig,
  type DiffusionActorOptions,
  resolveDiffusionConfig,
} from './config.js';
export { ddpmStep } from './ddpm.js';
export { knnEntropy, knnEntropyConstant, logUnitBallVolume } from './entropy.js';
export { ActorInference } from './infer.js';
export { Adam, type AdamOptions } from './nn/adam.js';
export {
  combineArtefacts,
  loadArtefact,
  packArtefact,
  partOf,
  saveArtefact,
  sizeOf,
  type TensorEntry,
  tensorOf,
  WEIGHTS_FORMAT,
  type WeightsArtefact,
  type WeightsManifest,
} from './nn/artefact.js';
export { fastKernelsEnabled, setFastKernels } from './nn/fast.js';
export { fastExp } from './nn/fastmath.js';
export { hostKind, hostView } from './nn/host.js';
export { dense, denseMish, type LinearOptions, linear, mish, mishForward, withGrad } from './nn/layers.js';
export {
  assignValues,
  copyVariables,
  createDense,
  type DenseParams,
  Mlp,
  ownedVariable,
  softUpdateVariables,
  uniformValues,
  uniqueName,
} from './nn/mlp.js';
export { createNoise, type NoiseSource, type NoiseState } from './nn/noise.js';
export { readAndDispose } from './nn/read.js';
export { type ScheduleOptions, type VpSchedule, vpSchedule } from './schedule.js';
export { type KernelTimes, profileWasmKernels } from './wasm/tfjs-kernels.js';
