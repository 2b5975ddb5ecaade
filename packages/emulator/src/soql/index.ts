export {
  type CompiledSoql,
  compileSoql,
  executeSoql,
  MAX_OFFSET,
  parseSoql,
  type SoqlOptions,
  type SoqlResult,
} from './engine.js';
export { SoqlError, type SoqlErrorCode } from './errors.js';
export { type ExplainNote, type ExplainPlan, type ExplainResult, explainSoql } from './explain.js';
export { dateLiteralRange, type TimeRange } from './literals.js';
export { executeSosl, type SoslResult } from './sosl.js';
