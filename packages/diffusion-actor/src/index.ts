export { createDiffusionActor, DIFFUSION_KIND, DiffusionActor, sinusoidalEmbedding } from './actor.js';
export {
  DEFAULT_DIFFUSION_CONFIG,
  type DiffusionActorConfig,
  type DiffusionActorOptions,
  resolveDiffusionConfig,
} from './config.js';
export { ddpmStep } from './ddpm.js';
export { knnEntropy, knnEntropyConstant, logUnitBallVolume } from './entropy.js';
// the tfjs-free part: ActorInference, artefacts, noise, the schedule
export * from './inference.js';
export { Adam, type AdamOptions } from './nn/adam.js';
export { combineArtefacts, packArtefact, partOf, saveArtefact } from './nn/artefact.js';
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
export { readAndDispose } from './nn/read.js';
export { type KernelTimes, profileWasmKernels } from './wasm/tfjs-kernels.js';
