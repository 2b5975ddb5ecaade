import { pipeline, Readable } from 'node:stream';
import { type Options as StringifyOptions, stringify } from 'csv-stringify';
import { recordStreamError } from './errors.js';
import { flattenRecord, isChildResult } from './flatten.js';
import { iterableSource, type RecordSource } from './pull.js';

/** Options of {@link toCSV} and `RecordStream#toCSV`. */
export interface ToCSVOptions {
  /**
   * The columns, in order, as flattened names (`Id`, `Account.Name`). Default: the keys of the
   * first record once flattened, without child relationship results; later records' extra keys
   * are ignored and their missing keys are empty cells.
   */
  columns?: readonly string[];
  /** Write a header row of the column names. Default true. */
  header?: boolean;
  /** Field delimiter: one or more characters, none of them a quote or a line break. Default `,`. */
  delimiter?: string;
  /** Record delimiter: `'LF'` (`\n`, the default) or `'CRLF'` (`\r\n`, what Excel writes). */
  lineEnding?: 'LF' | 'CRLF';
  /** Start the output with a UTF-8 byte order mark, so Excel reads it as UTF-8. Default false. */
  bom?: boolean;
  /** Bytes the returned stream buffers before it stops pulling records. Default: Node's default. */
  highWaterMark?: number;
  /**
   * Guard against CSV (formula) injection in files that people open in a spreadsheet: a text
   * cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'` in front, as
   * OWASP advises, so Excel, LibreOffice and Google Sheets show it as text instead of running
   * it. Default false: the cell then changes, so leave it off for exports that another program
   * (a migration, a Bulk load) reads back. Only strings are escaped; numbers (`-5`), booleans
   * and dates are written as they are.
   */
  escapeFormulas?: boolean;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** `formatCell`, plus the `escapeFormulas` guard for text cells. */
function formulaSafeCell(value: unknown): string {
  const text = formatCell(value);
  return typeof value === 'string' && FORMULA_START.test(text) ? `'${text}` : text;
}

const LINE_BREAK = /[\r\n]/;

function validate(options: ToCSVOptions): void {
  const { columns, delimiter, lineEnding, highWaterMark, escapeFormulas } = options;
  if (escapeFormulas !== undefined && typeof escapeFormulas !== 'boolean') {
    throw recordStreamError('INVALID_ARGUMENT', 'toCSV option "escapeFormulas" must be a boolean');
  }
  if (columns !== undefined && (!Array.isArray(columns) || columns.some((c) => typeof c !== 'string'))) {
    throw recordStreamError('INVALID_ARGUMENT', 'toCSV option "columns" must be an array of strings');
  }
  if (
    delimiter !== undefined &&
    (typeof delimiter !== 'string' || delimiter === '' || /["\r\n]/.test(delimiter))
  ) {
    throw recordStreamError(
      'INVALID_ARGUMENT',
      'toCSV option "delimiter" must be a non-empty string without quotes or line breaks',
    );
  }
  if (lineEnding !== undefined && lineEnding !== 'LF' && lineEnding !== 'CRLF') {
    throw recordStreamError('INVALID_ARGUMENT', `toCSV option "lineEnding" must be 'LF' or 'CRLF'`);
  }
  if (highWaterMark !== undefined && (!Number.isSafeInteger(highWaterMark) || highWaterMark < 1)) {
    throw recordStreamError('INVALID_ARGUMENT', 'toCSV option "highWaterMark" must be a positive integer');
  }
}

/**
 * How `toCSV` writes one value into a cell, before quoting: strings as they are, numbers and
 * booleans as text, Dates as ISO 8601, bytes as Base64, other objects as JSON; null, undefined
 * and child relationship results as empty. For writers of their own that must match `toCSV`.
 */
export function formatCell(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      // undefined, functions and symbols have no CSV form.
      return '';
  }
  if (value === null || isChildResult(value)) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  return JSON.stringify(value) ?? '';
}

/**
 * Serialises records as CSV text, streamed: records are pulled from `source` only as fast as the
 * returned Readable is read, and the whole CSV is never held in memory. Each record is flattened
 * with `flattenRecord` (`attributes` dropped, parents as `Account.Name` columns); the header comes
 * from `columns`, else from the first record's flattened keys. `null`/`undefined` write empty
 * cells (so does a `null` parent for each of its columns), Dates ISO 8601 strings, booleans
 * `true`/`false`; child relationship results are not written (they get no column, and an empty
 * cell if named in `columns`); arrays and other objects are written as JSON. An error in the
 * source, or a record that is not an object, destroys the returned stream with that error.
 *
 * @example
 * ```ts
 * await pipeline(toCSV(records, { columns: ['Id', 'Name', 'Account.Name'] }), createWriteStream('out.csv'));
 * ```
 */
export function toCSV(source: RecordSource<object>, options: ToCSVOptions = {}): Readable {
  validate(options);
  const header = options.header ?? true;
  const stringifierOptions: StringifyOptions = {
    delimiter: options.delimiter ?? ',',
    record_delimiter: options.lineEnding === 'CRLF' ? 'windows' : 'unix',
    bom: options.bom ?? false,
    header: false,
    // csv-stringify quotes a cell holding the record delimiter, but under CRLF a bare LF (and
    // under LF a bare CR) would go out unquoted, and Excel or Python's csv would split the row.
    quoted_match: LINE_BREAK,
    // Rows are already strings; buffers between stages add memory, not throughput.
    writableHighWaterMark: 1,
    ...(options.highWaterMark === undefined ? {} : { readableHighWaterMark: options.highWaterMark }),
  };
  const stringifier = stringify(stringifierOptions);
  const records = iterableSource(source, (error) => stringifier.destroy(error));
  const cell = options.escapeFormulas ? formulaSafeCell : formatCell;

  async function* rows(): AsyncGenerator<string[]> {
    let columns = options.columns;
    try {
      if (columns !== undefined && header) yield [...columns];
      for (;;) {
        const batch = await records.pull();
        if (batch === null) return;
        for (const record of batch) {
          const flat = flattenRecord(record);
          if (columns === undefined) {
            columns = Object.keys(flat).filter((key) => !isChildResult(flat[key]));
            if (header) yield [...columns];
          }
          yield columns.map((column) => cell(Object.hasOwn(flat, column) ? flat[column] : undefined));
        }
      }
    } finally {
      records.close();
    }
  }

  pipeline(Readable.from(rows(), { objectMode: true, highWaterMark: 1 }), stringifier, (error) => {
    // The consumer destroyed the output or the source failed: release the source now rather
    // than when its pending read settles.
    if (error) records.close();
  });
  return stringifier;
}
