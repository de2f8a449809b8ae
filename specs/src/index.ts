export {
  formatPath,
  PROBLEM_KEYWORD,
  renderProblem,
  renderValue,
  type SchemaProblem,
} from './problems.js';
export {
  getSchema,
  registerSchema,
  registerSchemaFile,
  SCHEMA_DIR,
  schemaNames,
  validateAgainst,
} from './registry.js';
