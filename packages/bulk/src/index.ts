export { type BulkErrorCode, bulkError, type SentPart } from './errors.js';
export {
  type CsvPart,
  type CsvRejectedRow,
  type CsvRowLimits,
  CsvSplitter,
  type CsvSplitOptions,
} from './csv-split.js';
export {
  type ColumnDelimiter,
  type CreateIngestJobOptions,
  createIngestJob,
  type FailedResult,
  IngestJob,
  type IngestJobInfo,
  type IngestOperation,
  ingestJob,
  type LoadEvents,
  LoadOperation,
  type LoadOptions,
  type LoadResult,
  load,
  parseRowError,
  type RowError,
  type SuccessfulResult,
} from './ingest.js';
export { type BulkRecord, type CsvOptions, type IngestInput, toCsvBytes } from './input.js';
export { type PollOptions, pollUntil } from './poll.js';
export { type BulkQueryOptions, bulkQuery, bulkQueryAll, type QueryJobInfo } from './query.js';
export {
  type BatchInfo,
  type BatchResult,
  Bulk1,
  type Bulk1Operation,
  type Bulk1Options,
  type CreateJobOptions,
  createBulk1,
  Job,
  type JobInfo,
} from './bulk1.js';
export { Batch } from './batch.js';
export {
  type BulkMethods,
  destroyRecords,
  type FoundWrites,
  type RestSaveResult,
  type RestWriteOptions,
  type SObjectLike,
  type SwitchedResult,
  type SwitchOptions,
  updateRecords,
  type WithBulk,
  withBulk,
} from './switching.js';
export { bulkload, destroyBulk, insertBulk, updateBulk } from './together.js';
