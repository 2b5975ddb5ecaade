import { pipeline, Readable } from 'node:stream';
import { CsvError, type Info, parse } from 'csv-parse';
import { recordStreamError } from './errors.js';
import { unflattenRecord } from './flatten.js';
import { iterableSource } from './pull.js';
import { RecordStream } from './record-stream.js';

/** Turns one field into a value; receives the field's text and its column name. */
export type CastFunction = (value: string, column: string) => unknown;

/** Options of {@link fromCSV}. */
export interface FromCSVOptions {
  /** Field delimiter. Default `,`. */
  delimiter?: string;
  /** Read empty fields as `null` instead of `''`. Default false. */
  emptyAsNull?: boolean;
  /**
   * How fields become values; by default every field stays a string. `'auto'` reads `true` and
   * `false` as booleans and numbers written in canonical form (`42`, `-1.5`, not `007` or
   * `1e3`) as numbers. A function casts every field; an object maps column names (as in the
   * header, `Account.Name`) to functions, other columns stay strings. A field already turned
   * into `null` by `emptyAsNull` is not cast.
   */
  cast?: 'auto' | CastFunction | Readonly<Record<string, CastFunction>>;
  /** Rebuild a parent whose fields are all `null` as `null` (see `unflattenRecord`). Default false. */
  collapseNullParents?: boolean;
  /** Records buffered ahead of the consumer. Default 16. */
  highWaterMark?: number;
  /** Destroys the stream (and the input) with `signal.reason` when aborted. */
  signal?: AbortSignal;
}

/** What {@link fromCSV} reads: text, bytes, a Readable, or any (async) iterable of chunks. */
export type CSVInput =
  | string
  | Uint8Array
  | Readable
  | AsyncIterable<string | Uint8Array>
  | Iterable<string | Uint8Array>;

interface ParsedRow {
  record: string[];
  info: Info;
}

function autoCast(value: string): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  const number = Number(value);
  return value !== '' && Number.isFinite(number) && String(number) === value ? number : value;
}

function caster(cast: FromCSVOptions['cast']): ((value: string, column: string) => unknown) | undefined {
  if (cast === undefined) return undefined;
  if (cast === 'auto') return autoCast;
  if (typeof cast === 'function') return cast;
  if (typeof cast === 'object' && cast !== null) {
    for (const [column, fn] of Object.entries(cast)) {
      if (typeof fn !== 'function') {
        throw recordStreamError(
          'INVALID_ARGUMENT',
          `fromCSV option "cast" for column "${column}" must be a function`,
        );
      }
    }
    return (value, column) => {
      const fn = Object.hasOwn(cast, column) ? cast[column] : undefined;
      return fn === undefined ? value : fn(value, column);
    };
  }
  throw recordStreamError(
    'INVALID_ARGUMENT',
    `fromCSV option "cast" must be 'auto', a function or an object`,
  );
}

function toInputStream(input: CSVInput): Readable {
  if (typeof input === 'string' || input instanceof Uint8Array) return Readable.from([input]);
  if (input instanceof Readable) return input;
  const candidate = input as unknown as Partial<Record<symbol, unknown>> | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    (typeof candidate[Symbol.asyncIterator] !== 'function' &&
      typeof candidate[Symbol.iterator] !== 'function')
  ) {
    throw recordStreamError(
      'INVALID_ARGUMENT',
      'fromCSV expects a string, bytes, a Readable or an iterable of string or byte chunks',
    );
  }
  return Readable.from(input as AsyncIterable<string | Uint8Array>);
}

function parseError(error: unknown): unknown {
  if (!(error instanceof CsvError)) return error;
  const lines = (error as CsvError & { lines?: unknown }).lines;
  const line = typeof lines === 'number' ? lines : undefined;
  return recordStreamError(
    'CSV_PARSE',
    `malformed CSV${line === undefined ? '' : ` at line ${line}`}: ${error.message}`,
    line === undefined ? { cause: error } : { cause: error, line },
  );
}

/**
 * Reads CSV into a record stream of objects, streamed with backpressure (csv-parse underneath).
 * The first row names the columns; dotted names are rebuilt into nested parents (`Account.Name`
 * gives `{ Account: { Name } }`, see `unflattenRecord`). Fields are strings unless `emptyAsNull`
 * or `cast` say otherwise. A byte order mark, quoted fields holding delimiters, quotes or line
 * breaks, and CRLF line endings are all handled; blank lines are skipped when there is more than
 * one column. Malformed input (an unclosed quote, a row with the wrong number of fields, a
 * duplicate column name) destroys the stream with a `SalesforceError` of code `CSV_PARSE`
 * whose `line` names the line; an error of the input stream is passed through unchanged.
 *
 * @example
 * ```ts
 * for await (const contact of fromCSV(createReadStream('contacts.csv'), { emptyAsNull: true })) {
 *   console.log(contact.Account?.Name);
 * }
 * ```
 */
export function fromCSV(
  input: CSVInput,
  options: FromCSVOptions = {},
): RecordStream<Record<string, unknown>> {
  const {
    delimiter = ',',
    emptyAsNull = false,
    collapseNullParents = false,
    highWaterMark,
    signal,
  } = options;
  if (typeof delimiter !== 'string' || delimiter === '' || /["\r\n]/.test(delimiter)) {
    throw recordStreamError(
      'INVALID_ARGUMENT',
      'fromCSV option "delimiter" must be a non-empty string without quotes or line breaks',
    );
  }
  const cast = caster(options.cast);
  const inputStream = toInputStream(input);
  const parser = parse({
    bom: true,
    delimiter,
    info: true,
    relax_column_count: true,
    skip_empty_lines: false,
  });
  pipeline(inputStream, parser, () => {
    // Errors reach the consumer through the parser; nothing to do here.
  });

  let stream: RecordStream<Record<string, unknown>> | undefined;
  const rows = iterableSource<ParsedRow>(parser, (error) => stream?.destroy(parseError(error) as Error));
  let header: string[] | undefined;

  async function pull(): Promise<Record<string, unknown>[] | null> {
    for (;;) {
      let batch: readonly ParsedRow[] | null;
      try {
        batch = await rows.pull();
      } catch (error) {
        throw parseError(error);
      }
      if (batch === null) return null;
      const out: Record<string, unknown>[] = [];
      for (const { record: fields, info } of batch) {
        if (header === undefined) {
          const seen = new Set<string>();
          for (const name of fields) {
            if (seen.has(name)) {
              throw recordStreamError(
                'CSV_PARSE',
                `malformed CSV at line ${info.lines}: duplicate column "${name}"`,
                {
                  line: info.lines,
                },
              );
            }
            seen.add(name);
          }
          header = fields;
          continue;
        }
        if (fields.length !== header.length) {
          // A blank line cannot be a record of several fields; with one column it is an empty field.
          if (fields.length === 1 && fields[0] === '' && header.length > 1) continue;
          throw recordStreamError(
            'CSV_PARSE',
            `malformed CSV at line ${info.lines}: expected ${header.length} fields, got ${fields.length}`,
            { line: info.lines },
          );
        }
        const flat: Record<string, unknown> = {};
        for (let i = 0; i < header.length; i++) {
          const column = header[i]!;
          const text = fields[i]!;
          const value = emptyAsNull && text === '' ? null : cast === undefined ? text : cast(text, column);
          if (column === '__proto__') {
            Object.defineProperty(flat, column, {
              value,
              enumerable: true,
              writable: true,
              configurable: true,
            });
          } else {
            flat[column] = value;
          }
        }
        try {
          out.push(unflattenRecord(flat, { collapseNullParents }));
        } catch (error) {
          const message =
            error instanceof Error ? error.message.replace('[@sf/record-stream] ', '') : String(error);
          throw recordStreamError('INVALID_RECORD', `line ${info.lines}: ${message}`, {
            cause: error,
            line: info.lines,
          });
        }
      }
      if (out.length > 0) return out;
    }
  }

  stream = new RecordStream(pull, {
    ...(highWaterMark === undefined ? {} : { highWaterMark }),
    ...(signal === undefined ? {} : { signal }),
    onClose: () => rows.close(),
  });
  return stream;
}
