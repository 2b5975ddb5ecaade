// node-salesforce's (README under `shared/seeds/`) `find(...).destroy()` and `find(...).update(mapper)`: few records are written
// through REST (sObject Collections, 200 a request), more than `bulkThreshold` through Bulk API
// 2.0, streamed. They work over an @sf/sobject `SObject`, matched by its shape: @sf/bulk imports
// neither @sf/sobject nor @sf/query, and neither of them imports @sf/bulk.

import type { Connection } from '@sf/core';
import { flattenRecord, type RecordSource, RecordStream } from '@sf/record-stream';
import { checkCall, checkOptions } from './arguments.js';
import { type CallOptions, callOptions } from './call-options.js';
import { bulkError } from './errors.js';
import type { FailedResult, IngestOperation, SuccessfulResult } from './ingest.js';
import type { BulkRecord } from './input.js';
import { type LoadOptions, type LoadResult, load, loadResult } from './load.js';
import { LoadOperation } from './load-operation.js';
import { isChildResult } from './record-csv.js';
import { recordError } from './record-result.js';
import { idOf } from './together.js';

/** One record's outcome from a REST write, as @sf/sobject reports it. */
export interface RestSaveResult {
  id: string | null;
  success: boolean;
  errors: readonly { errorCode: string; message: string; fields: readonly string[] }[];
}

/** Options a REST write of many records takes (@sf/sobject's `CollectionOptions`). */
export interface RestWriteOptions {
  signal?: AbortSignal;
  allOrNone?: boolean;
}

/**
 * What @sf/bulk needs of an sObject: an @sf/sobject `SObject` is one. Anything with the same
 * members will do.
 */
export interface SObjectLike {
  readonly type: string;
  readonly connection: Connection;
  update(records: readonly BulkRecord[], options?: RestWriteOptions): Promise<RestSaveResult[]>;
  destroy(ids: readonly string[], options?: RestWriteOptions): Promise<RestSaveResult[]>;
}

/** Options of {@link destroyRecords} and {@link updateRecords}. */
export interface SwitchOptions extends LoadOptions {
  /**
   * Up to this many records are written through REST (sObject Collections); more go through
   * Bulk API 2.0. Default 200, what one Collections request takes. `0` always uses Bulk API;
   * `Infinity` never does.
   */
  bulkThreshold?: number;
}

/** What a switching write did: a {@link LoadResult}, whichever API did the work. */
export interface SwitchedResult extends LoadResult {
  /** `rest` when the records were few enough for sObject Collections, else `bulk`. */
  api: 'rest' | 'bulk';
}

const DEFAULT_THRESHOLD = 200;

function checkThreshold(value: number | undefined): number {
  if (value === undefined) return DEFAULT_THRESHOLD;
  if (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 0)) return value;
  throw bulkError(
    `bulkThreshold must be a whole number of records (0 or more) or Infinity, got ${String(value)}`,
    {
      code: 'INVALID_ARGUMENT',
    },
  );
}

function iteratorOf<T>(source: RecordSource<T>): AsyncIterator<T> | Iterator<T> {
  if (source !== null && typeof source === 'object' && Symbol.asyncIterator in source) {
    return (source as AsyncIterable<T>)[Symbol.asyncIterator]();
  }
  if (source !== null && typeof source === 'object' && Symbol.iterator in source) {
    return (source as Iterable<T>)[Symbol.iterator]();
  }
  throw bulkError('the records must be an iterable or async iterable (a query, a record stream, an array)', {
    code: 'INVALID_ARGUMENT',
  });
}

/**
 * Reads `source` through `prepare` until more than `threshold` records have come (the rest
 * stay unread) or it ends. Then writes them through REST (few) or Bulk API 2.0 (many), the
 * records already read first, the rest streamed behind them.
 */
function switching<T>(
  sobject: SObjectLike,
  operation: IngestOperation,
  source: RecordSource<T>,
  prepare: (record: T, index: number) => Promise<BulkRecord>,
  rest: (records: BulkRecord[], options: RestWriteOptions) => Promise<RestSaveResult[]>,
  options: SwitchOptions & { forceBulk?: boolean },
): LoadOperation<SwitchedResult> {
  checkOptions(options, operation === 'update' ? 'update' : 'destroy');
  return new LoadOperation<SwitchedResult>(async (op) => {
    const threshold = options.forceBulk ? 0 : checkThreshold(options.bulkThreshold);
    const it = iteratorOf(source);
    let index = 0;
    let done = false;
    const next = async (): Promise<BulkRecord | undefined> => {
      const step = await it.next();
      if (step.done) {
        done = true;
        return undefined;
      }
      index += 1;
      return prepare(step.value, index);
    };
    try {
      const head: BulkRecord[] = [];
      while (head.length <= threshold) {
        options.signal?.throwIfAborted();
        const record = await next();
        if (record === undefined) break;
        head.push(record);
      }
      if (done && head.length === 0)
        return loadResult({
          ...restResult([], []),
          api: options.forceBulk ? ('bulk' as const) : ('rest' as const),
        });
      if (done) {
        const restOptions: RestWriteOptions = {
          allOrNone: false,
          ...(options.signal ? { signal: options.signal } : {}),
        };
        return restResult(head, await rest(head, restOptions));
      }
      const input = (async function* () {
        yield* head;
        for (;;) {
          const record = await next();
          if (record === undefined) return;
          yield record;
        }
      })();
      const columns = options.columns ?? unionOfColumns(head);
      const inner = load(sobject.connection, sobject.type, operation, input, {
        ...options,
        columns,
        extraFields: options.extraFields ?? (options.columns ? 'ignore' : 'error'),
      });
      inner.on('job', (job) => op.emit('job', job));
      inner.on('upload', (info) => op.emit('upload', info));
      inner.on('progress', (info) => op.emit('progress', info));
      return loadResult({ ...(await inner), api: 'bulk' as const });
    } finally {
      // Stop the source (a query's prefetch) when the write ended before it did.
      // Not awaited: an async generator's return() waits behind a pending next(), which would
      // hold an abort back until the source's next record; the write's outcome is what counts.
      if (!done) {
        try {
          Promise.resolve(it.return?.()).catch(() => {});
        } catch {
          // A synchronous return() that throws: nothing to release.
        }
      }
    }
  });
}

/** Every flattened field name of the records, in the order first seen. */
function unionOfColumns(records: readonly BulkRecord[]): string[] {
  const names = new Set<string>();
  for (const record of records) {
    for (const [key, value] of Object.entries(flattenRecord(record))) {
      if (value === undefined || isChildResult(value)) continue;
      names.add(key);
    }
  }
  // A null parent (`Account: null`) beside records with its fields (`Account.Ext__c`) is no column.
  const all = [...names];
  return all.filter((name) => !all.some((other) => other.startsWith(`${name}.`)));
}

/** Results held in memory (nothing to fetch): an aborted `signal` still rejects with its reason. */
function held<T>(items: readonly T[], options: CallOptions | undefined): RecordStream<T> {
  const { signal } = callOptions(options);
  return RecordStream.from(
    (async function* () {
      signal?.throwIfAborted();
      yield* items;
    })(),
  );
}

function restResult(records: readonly BulkRecord[], results: readonly RestSaveResult[]): SwitchedResult {
  if (results.length !== records.length) {
    throw bulkError(`expected ${records.length} results from sObject Collections, got ${results.length}`, {
      code: 'MALFORMED_RESPONSE',
    });
  }
  const succeeded: SuccessfulResult[] = [];
  const failed: FailedResult[] = [];
  results.forEach((result, i) => {
    const record = records[i] as BulkRecord;
    if (result.success) {
      succeeded.push({
        id: result.id ?? String(record.Id),
        success: true,
        created: false,
        errors: [],
        record,
      });
    } else {
      failed.push({
        id: result.id ?? (typeof record.Id === 'string' ? record.Id : null),
        success: false,
        errors: result.errors.map((e) => recordError(e.errorCode, e.message, e.fields)),
        record,
      });
    }
  });
  return loadResult({
    api: 'rest',
    jobs: [],
    state: 'JobComplete',
    numberRecordsUploaded: records.length,
    numberRecordsProcessed: records.length,
    numberRecordsSucceeded: succeeded.length,
    numberRecordsFailed: failed.length,
    numberRecordsUnprocessed: 0,
    successfulResults: (options?: CallOptions) => held(succeeded, options),
    failedResults: (options?: CallOptions) => held(failed, options),
    unprocessedRecords: (options?: CallOptions) => held<Record<string, unknown>>([], options),
  });
}

/**
 * `find(...).destroy()` of node-salesforce: deletes every record of `source` (each with its `Id`):
 * through sObject Collections when there are at most `bulkThreshold` (200), through Bulk API 2.0
 * when there are more. `hard: true` always uses Bulk API (`hardDelete`: the records skip the
 * Recycle Bin; only Bulk API offers it). Each record's outcome is in the result's
 * `successfulResults()` / `failedResults()`, whichever API was used.
 *
 * @example
 * const Account = sobject(conn, 'Account');
 * const result = await destroyRecords(Account, Account.find({ Name: { $like: 'Test%' } }));
 * console.log(result.api, result.numberRecordsSucceeded);
 */
export function destroyRecords(
  sobject: SObjectLike,
  source: RecordSource<object>,
  options: SwitchOptions & { hard?: boolean } = {},
): LoadOperation<SwitchedResult> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  checkCall('destroyRecords', arguments, { opaque: [0], data: [1], options: 2 });
  return switching(
    sobject,
    options.hard ? 'hardDelete' : 'delete',
    source,
    async (record, i) => ({ Id: idOf(record, i) }),
    (records, restOptions) =>
      sobject.destroy(
        records.map((r) => r.Id as string),
        restOptions,
      ),
    { ...options, columns: ['Id'], forceBulk: options.hard === true },
  );
}

/**
 * `find(...).update(mapper)` of node-salesforce: maps each record of `source` to the fields to set
 * (keep its `Id`) and updates them: through sObject Collections when there are at most
 * `bulkThreshold` (200), through Bulk API 2.0 when there are more. For Bulk API the columns are
 * every field the records read before the switch carry; a later record with another field
 * rejects with INVALID_ARGUMENT rather than losing it (or pass `columns`).
 *
 * @example
 * const Opportunity = sobject<{ Id: string; Name: string; Account: { Name: string } }>(conn, 'Opportunity');
 * await updateRecords(Opportunity, Opportunity.find({ AccountId: accId }, ['Id', 'Name', 'Account.Name']),
 *   (o) => ({ Id: o.Id, Name: `${o.Account.Name} - ${o.Name}` }));
 */
export function updateRecords<T>(
  sobject: SObjectLike,
  source: RecordSource<T>,
  mapper: (record: T) => BulkRecord | PromiseLike<BulkRecord>,
  options: SwitchOptions = {},
): LoadOperation<SwitchedResult> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  checkCall('updateRecords', arguments, { opaque: [0], data: [1], fn: 2, options: 3 });
  if (typeof mapper !== 'function') {
    throw bulkError('update needs a mapper function: (record) => ({ Id: record.Id, ...fields })', {
      code: 'INVALID_ARGUMENT',
    });
  }
  return switching(
    sobject,
    'update',
    source,
    async (record, i) => {
      const mapped = await mapper(record);
      idOf(mapped, i);
      const { attributes: _attributes, ...fields } = mapped as BulkRecord & { attributes?: unknown };
      // REST clears a field sent as '' ; a Bulk CSV empty cell leaves it alone. Sent as null
      // (Bulk's #N/A), '' clears the field whichever API does the work.
      for (const key of Object.keys(fields)) if (fields[key] === '') fields[key] = null;
      return fields;
    },
    (records, restOptions) => sobject.update(records, restOptions),
    options,
  );
}
