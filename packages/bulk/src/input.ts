import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { bulkError } from './errors.js';
import { recordsToCsv } from './record-csv.js';

/** A record to load: field names to values; parents as nested objects (`{ Account: { Ext__c: 'A1' } }`). */
export type BulkRecord = Record<string, unknown>;

/**
 * What a load takes: records (an array, any iterable or async iterable, a record stream), CSV
 * (a string, bytes, a byte `Readable` such as a file stream, `{ csv }` for any async iterable
 * of bytes) or a file (`{ file: 'accounts.csv' }`).
 */
export type IngestInput =
  | readonly BulkRecord[]
  | Iterable<BulkRecord>
  | AsyncIterable<BulkRecord>
  | Readable
  | string
  | Uint8Array
  | { file: string }
  | { csv: string | Uint8Array | AsyncIterable<Uint8Array | string> };

export interface CsvOptions {
  /** Columns for record input, in order (flattened names such as `Account.Ext__c`); default: the first record's. */
  columns?: readonly string[];
  /**
   * A record with a field outside the columns: `'error'` rejects the load with INVALID_ARGUMENT
   * (the default when the columns are the first record's), `'ignore'` leaves the field out (the
   * default when `columns` is given: choosing columns chooses what is loaded).
   */
  extraFields?: 'error' | 'ignore';
}

async function* bytes(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

function isCsvSource(
  input: unknown,
): input is { csv: string | Uint8Array | AsyncIterable<Uint8Array | string> } {
  return typeof input === 'object' && input !== null && 'csv' in input && !Array.isArray(input);
}

/** True when `input` is CSV (text, bytes, a byte stream, `{ csv }`, `{ file }`) rather than records. */
export function isCsvInput(input: IngestInput): boolean {
  if (typeof input === 'string' || input instanceof Uint8Array) return true;
  if (isCsvSource(input)) return true;
  if (typeof input === 'object' && input !== null && 'file' in input && typeof input.file === 'string')
    return true;
  return input instanceof Readable && !input.readableObjectMode;
}

/**
 * The input as CSV bytes, streamed. Records are written as @sf/record-stream's `toCSV` writes them,
 * in 64 KB chunks; a `null` becomes `#N/A`, which is how Bulk CSV sets a field to null (an empty
 * cell leaves it alone).
 */
export function toCsvBytes(
  input: IngestInput,
  options: CsvOptions = {},
  /** @internal The delimiter records are written with (a Bulk 2.0 job's columnDelimiter). */
  delimiter = ',',
): AsyncIterable<Uint8Array> {
  const { extraFields } = options;
  if (extraFields !== undefined && extraFields !== 'error' && extraFields !== 'ignore') {
    throw bulkError(`extraFields must be 'error' or 'ignore'; got ${String(extraFields)}`, {
      code: 'INVALID_ARGUMENT',
    });
  }
  if (typeof input === 'string' || input instanceof Uint8Array) return bytes([input]);
  if (isCsvSource(input)) {
    const { csv } = input;
    return typeof csv === 'string' || csv instanceof Uint8Array ? bytes([csv]) : bytes(csv);
  }
  if (typeof input === 'object' && input !== null && 'file' in input && typeof input.file === 'string') {
    return bytes(createReadStream(input.file));
  }
  if (input instanceof Readable && !input.readableObjectMode)
    return bytes(input as AsyncIterable<Uint8Array | string>);
  return recordsToCsv(
    input as AsyncIterable<BulkRecord> | Iterable<BulkRecord>,
    options.columns,
    options.extraFields,
    delimiter,
  );
}

/**
 * @internal The source, remembering an error it throws. An upload's transport reports a failing
 * body as its own network error; the caller's error (a query behind the records, a mapper) is
 * the one to give back.
 */
export function watchInput(source: AsyncIterable<Uint8Array>): {
  bytes: AsyncIterable<Uint8Array>;
  failure(): { error: unknown } | undefined;
} {
  let failure: { error: unknown } | undefined;
  return {
    bytes: (async function* () {
      try {
        yield* source;
      } catch (error) {
        failure = { error };
        throw error;
      }
    })(),
    failure: () => failure,
  };
}

/**
 * @internal A body read whole into memory (a batch's, at most its byte limit), so that its
 * request can be sent again after a session renewal.
 */
export async function collectBytes(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}
