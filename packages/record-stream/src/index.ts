export type { RecordStreamErrorCode } from './errors.js';
export { flattenRecord, type UnflattenOptions, unflattenRecord } from './flatten.js';
export { type CastFunction, type CSVInput, type FromCSVOptions, fromCSV } from './from-csv.js';
export { batch, filter, map } from './operators.js';
export type { PullResult, RecordSource } from './pull.js';
export {
  createRecordStream,
  type PullFunction,
  RecordStream,
  type RecordStreamOptions,
  type ToArrayOptions,
} from './record-stream.js';
export { createRecordWritable, type RecordWritableOptions } from './record-writable.js';
export { formatCell, type ToCSVOptions, toCSV } from './to-csv.js';
