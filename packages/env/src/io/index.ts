export { writeFileAtomic } from './atomic.js';
export { FileInputError } from './errors.js';
export {
  type ContractFileContent,
  formatContractFile,
  formatJson,
  formatMarketFile,
  formatNumberLiteral,
  type WritableNumber,
} from './format.js';
export {
  findJsonLimitProblem,
  type JsonLimitProblem,
  MAX_JSON_DEPTH,
  MAX_JSON_TOKEN_LENGTH,
} from './limits.js';
export {
  type ContractFile,
  MAX_MODEL_FILE_BYTES,
  type MarketFile,
  type ModelFile,
  type ModelFileKind,
  parseModelText,
  type ReadOptions,
  readModelFile,
} from './read.js';
