// Bulk API 1.0's `load()`: the input split into batches within Salesforce's limits, each batch
// read whole and sent, the job closed, every batch awaited, and one result per input row put
// back in input order (rows that could not be sent get a local failure in their place).

import { isSalesforceError } from '@sf/core';
import type { Batch } from './bulk1-batch.js';
import type { Bulk1, Bulk1BatchResult, CreateJobOptions } from './bulk1.js';
import { type CallOptions, callOptions } from './call-options.js';
import { type CsvPart, type CsvRejectedRow, describeRejectedRow } from './csv-row-limits.js';
import { CsvSplitter } from './csv-split.js';
import { bulkError, inputFailed } from './errors.js';
import {
  type CsvOptions,
  collectBytes,
  type IngestInput,
  isCsvInput,
  toCsvBytes,
  watchInput,
} from './input.js';
import { type RecordError, recordError } from './record-result.js';

/** Options of Bulk 1.0's `load()`. */
export interface Bulk1LoadOptions extends CreateJobOptions, CsvOptions, CallOptions {
  /** Most records in a batch: 1 to 10,000 (the default). */
  maxBatchRecords?: number;
  /** Most bytes in a batch: 1 to 10,000,000 (the default). */
  maxBatchBytes?: number;
  /** Most characters (UTF-16 code units, as Salesforce counts) in a batch: 1 to 10,000,000 (the default). */
  maxBatchChars?: number;
}

/** Salesforce's Bulk API 1.0 limits: per batch, and per record. */
const LIMITS = {
  batchRecords: 10_000,
  batchBytes: 10_000_000,
  batchChars: 10_000_000,
  fieldChars: 32_000,
  recordChars: 400_000,
  recordFields: 5_000,
} as const;

/** A `load()` cap: Salesforce's `limit` when not given, else a whole number from 1 to it. */
function batchCap(name: string, value: number | undefined, limit: number): number {
  if (value === undefined) return limit;
  if (!Number.isInteger(value) || value < 1 || value > limit) {
    const message = `${name} must be a whole number from 1 to ${limit} (Salesforce's limit); got ${String(value)}`;
    throw bulkError(message, { code: 'INVALID_ARGUMENT' });
  }
  return value;
}

function failure(errors: RecordError[]): Omit<Bulk1BatchResult, 'index'> {
  return { id: null, success: false, created: false, errors };
}

/** The error of a row that was not sent, or undefined for a blank CSV line (no record). */
function notSent(row: CsvRejectedRow, records: boolean): RecordError | undefined {
  if (row.code === 'BLANK_ROW') {
    // A blank line of a CSV input is no record; a record that writes as one has nothing to load.
    if (!records) return undefined;
    return recordError(
      'BLANK_ROW',
      'the record has no value in its only column, so its CSV row is blank; it was not sent',
    );
  }
  const cap =
    row.code === 'ROW_TOO_LARGE' ? (row.unit === 'bytes' ? ' (maxBatchBytes)' : ' (maxBatchChars)') : '';
  return recordError(
    row.code,
    `${describeRejectedRow(row, 'batch')}${cap}; the row was not sent`,
    row.name === undefined ? [] : [row.name],
  );
}

/** The batches' results (rows sent, in order) with the rows left out slotted in at their positions. */
function inInputOrder(
  sent: readonly Omit<Bulk1BatchResult, 'index'>[],
  rejected: readonly CsvRejectedRow[],
  records: boolean,
): Bulk1BatchResult[] {
  const out: Bulk1BatchResult[] = [];
  const push = (r: Omit<Bulk1BatchResult, 'index'>) => out.push({ ...r, index: out.length });
  let next = 0;
  let index = 0;
  for (const row of rejected) {
    for (; index < row.index; index++) push(sent[next++] as Bulk1BatchResult);
    const error = notSent(row, records);
    if (error) push(failure([error]));
    index = row.index + 1;
  }
  for (; next < sent.length; next++) push(sent[next] as Bulk1BatchResult);
  return out;
}

/** @internal `Bulk1#load()`: see there. */
export async function loadBulk1(
  bulk: Bulk1,
  object: string,
  operation: Parameters<Bulk1['load']>[1],
  input: IngestInput,
  options: Bulk1LoadOptions,
): Promise<Bulk1BatchResult[]> {
  const maxRows = batchCap('maxBatchRecords', options.maxBatchRecords, LIMITS.batchRecords);
  const maxBytes = batchCap('maxBatchBytes', options.maxBatchBytes, LIMITS.batchBytes);
  const maxChars = batchCap('maxBatchChars', options.maxBatchChars, LIMITS.batchChars);
  const call = callOptions(options);
  const { signal } = options;
  const job = bulk.createJob(object, operation, options);
  const source = watchInput(toCsvBytes(input, options));
  const splitter = new CsvSplitter(source.bytes, maxBytes, {
    maxRows,
    maxChars,
    rowLimits: { fieldChars: LIMITS.fieldChars, rowChars: LIMITS.recordChars, fields: LIMITS.recordFields },
    rejectRows: true,
  });
  const sent: { batch: Batch; part: CsvPart }[] = [];
  try {
    for (;;) {
      const part = await splitter.next();
      if (!part) break;
      const batch = job.createBatch();
      // Read whole first (at most maxBatchBytes): a batch sent from memory can be sent again
      // when its session expired, as a long load's later batches may find.
      await batch.send(await collectBytes(part.body), call);
      sent.push({ batch, part });
    }
  } catch (error) {
    const opened = job.id !== undefined;
    if (signal?.aborted || sent.length === 0) {
      // Stopped by the caller (as a Bulk 2.0 load is, nothing more is processed), or nothing
      // whole was sent: an opened job is aborted rather than left open.
      if (opened) await job.abort().catch(() => {});
      throw signal?.aborted ? error : (source.failure()?.error ?? error);
    }
    // The input failed (a query behind the records, a mapper) or an upload did. The batch being
    // sent was never created; those sent before are whole, so the job is closed and they run on.
    await job.close().catch(() => {});
    const failed = source.failure();
    if (!failed) throw error;
    throw inputFailed(
      failed.error,
      sent.map(({ batch, part }) => ({
        jobId: job.id as string,
        batchId: batch.id as string,
        rows: part.rows,
      })),
    );
  }
  let lists: Omit<Bulk1BatchResult, 'index'>[][];
  const failedBatches = new Map<Batch, unknown>();
  // A failed batch's rows are not lost with it: its results where Salesforce has them for
  // every row, else a local failure per row with the batch's stateMessage.
  const settled = async (batch: Batch, rows: number): Promise<Omit<Bulk1BatchResult, 'index'>[]> => {
    try {
      return await batch.result(call);
    } catch (error) {
      if (!isSalesforceError(error, 'BATCH_FAILED')) throw error;
      const partial = await batch.readResults(call).catch(() => []);
      if (partial.length === rows) return partial;
      failedBatches.set(batch, error);
      const reason = String(error.details[0]?.message ?? '');
      const lost = recordError(
        'BATCH_FAILED',
        `batch ${batch.id} failed (${reason}); the row was not processed`,
      );
      return Array.from({ length: rows }, () => failure([lost]));
    }
  };
  try {
    if (sent.length > 0) await job.close(call);
    lists = await Promise.all(sent.map(({ batch, part }) => settled(batch, part.rows)));
    // Every batch failed: one reason for all (a header naming no field...), as a Bulk 2.0 job fails.
    if (failedBatches.size === sent.length && sent.length > 0) throw failedBatches.values().next().value;
  } catch (error) {
    if (signal?.aborted) await job.abort().catch(() => {});
    throw error;
  }
  for (const [i, { batch, part }] of sent.entries()) {
    const count = (lists[i] as unknown[]).length;
    // Rows left out are slotted in by position: a batch answering for more or fewer rows than
    // it was sent would move every later result onto the wrong row.
    if (count !== part.rows) {
      throw bulkError(
        `batch ${batch.id} of job ${job.id} answered ${count} results for ${part.rows} rows; results cannot be matched to input rows`,
        { code: 'MALFORMED_RESPONSE' },
      );
    }
  }
  return inInputOrder(lists.flat(), splitter.rejected, !isCsvInput(input));
}
