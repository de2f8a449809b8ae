export {
  type CompactionResult,
  compactNetwork,
  DEFAULT_ACTIVATION_FLOPS,
  type FlopOptions,
  networkFlops,
} from './compact.js';
export { PruningError } from './errors.js';
export { activationFunction, denseForward, mish, mlpForward, softplus } from './forward.js';
export {
  type MagnitudeNorm,
  type MagnitudeOptions,
  magnitudeScores,
  TaylorAccumulator,
  type TaylorReduction,
  type TaylorSnapshot,
} from './importance.js';
export {
  type ApplyMasksOptions,
  applyMasks,
  countMaskViolations,
  entryMasks,
  type MaskChange,
  MaskedNetwork,
  zeroMaskedEntries,
} from './mask.js';
export {
  chainGroups,
  cloneNetwork,
  fullMasks,
  groupWidth,
  groupWidths,
  parameterCount,
  validateMasks,
  validateNetwork,
  zerosLike,
} from './network.js';
export {
  DynamicPruner,
  lowestMask,
  PruningSchedule,
  prunedCount,
  RAMP_KINDS,
  type RampKind,
  SCHEDULE_DEFAULTS,
  type ScheduleConfig,
} from './schedule.js';
export {
  createPruningStrategy,
  PRUNING_DEFAULTS,
  type PruningConfig,
  type PruningStrategy,
  type PruningStrategyFactory,
  pruningStrategies,
} from './strategy.js';
export {
  ACTIVATIONS,
  type Activation,
  type DenseLayer,
  type LayerArrays,
  type NeuronConsumer,
  type NeuronGroup,
  type PrunableNetwork,
  type PruningMasks,
} from './types.js';
