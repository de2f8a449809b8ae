/**
 * `@diffcontract/diffusion-actor/inference`: contract generation from a saved policy without tfjs.
 * Nothing reachable from this entry imports @tensorflow/tfjs, so it runs where tfjs is not
 * installed; it loads dense, masked and compacted (pruned units removed) weights artefacts alike.
 */
export { DEFAULT_DIFFUSION_CONFIG } from './config.js';
export { ActorInference } from './infer.js';
export {
  loadArtefact,
  sizeOf,
  type TensorEntry,
  tensorOf,
  WEIGHTS_FORMAT,
  type WeightsArtefact,
  type WeightsManifest,
} from './nn/artefact.js';
export { createNoise, type NoiseSource, type NoiseState } from './nn/noise.js';
export {
  chainNoise,
  type ReverseStep,
  reverseSteps,
  type ScheduleOptions,
  type StepCoefficients,
  type VpSchedule,
  vpSchedule,
} from './schedule.js';
export {
  type ActorLayer,
  type ActorUnits,
  actorUnitsOfArtefact,
  compactedArtefact,
  type UnitGroup,
} from './units.js';
export { wasmSimdSupported } from './wasm/kernels.js';
