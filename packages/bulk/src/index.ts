export type { BulkErrorCode, SentPart } from './errors.js';
export type { CallOptions } from './call-options.js';
export { parseRecordErrors, type RecordError, type RecordResult } from './record-result.js';
export {
  type ColumnDelimiter,
  type CreateIngestJobOptions,
  DELIMITER_CHARS,
  createIngestJob,
  type FailedResult,
  IngestJob,
  type IngestJobInfo,
  type IngestOperation,
  ingestJob,
  type SuccessfulResult,
} from './ingest.js';
export { type LoadOptions, type LoadResult, load } from './load.js';
export { type LoadEvents, LoadOperation } from './load-operation.js';
export { type BulkRecord, type CsvOptions, type IngestInput, toCsvBytes } from './input.js';
export type { PollOptions } from './poll.js';
export { type BulkQueryOptions, bulkQuery, bulkQueryAll, type QueryJobInfo } from './query.js';
export {
  type BatchInfo,
  Bulk1,
  type Bulk1BatchResult,
  type Bulk1Operation,
  type Bulk1Options,
  type CreateJobOptions,
  createBulk1,
  type JobInfo,
} from './bulk1.js';
export { Job } from './bulk1-job.js';
export { Batch } from './bulk1-batch.js';
export type { Bulk1LoadOptions } from './bulk1-load.js';
export type { Bulk1QueryOptions } from './bulk1-query.js';
export {
  destroyRecords,
  type RestSaveResult,
  type RestWriteOptions,
  type SObjectLike,
  type SwitchedResult,
  type SwitchOptions,
  updateRecords,
} from './switching.js';
export { type BulkMethods, type FoundWrites, type WithBulk, withBulk } from './with-bulk.js';
export { type BulkLoader, bulkload, destroyBulk, insertBulk, updateBulk } from './together.js';
