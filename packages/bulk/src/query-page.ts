// One Bulk 2.0 query results page, parsed as its bytes arrive. csv-parse's parser pushes each
// row during write(); taking the rows at push() turns a chunk into one array of records: no
// object-mode buffer, no per-record promise or info object, between the socket and the stream.
import { finished } from 'node:stream/promises';
import { SalesforceError } from '@sf/core';
import { unflattenRecord } from '@sf/record-stream';
import { Parser } from 'csv-parse';
import { bulkError } from './errors.js';

/** Turns one field's text into a value, given its column name. */
export type Cast = (value: string, column: string) => unknown;

/** @internal */
export interface PageParserOptions {
  delimiter: string;
  emptyAsNull: boolean;
  cast: Cast | undefined;
  /** Names the page in error messages, e.g. `query job 750... page 3`. */
  where: string;
}

/** @internal A page's parser: feed it the body's chunks, then end it. */
export interface PageParser {
  /** Parses one chunk; returns the records it completed, possibly none. */
  write(chunk: Uint8Array): Record<string, unknown>[];
  /** Ends the page: returns the records of a last row without a line break. */
  end(): Promise<Record<string, unknown>[]>;
  /** Drops the parser (the consumer stopped early). */
  destroy(): void;
}

const noop = (): void => {};

/** @internal A parser for one page whose first row is its header, never a record. */
export function createPageParser(options: PageParserOptions): PageParser {
  const { emptyAsNull, cast, where } = options;
  let out: Record<string, unknown>[] = [];
  let header: string[] | undefined;
  let build: ((fields: string[]) => Record<string, unknown>) | undefined;

  const malformed = (message: string, cause?: unknown): SalesforceError =>
    bulkError(`malformed CSV in ${where}: ${message}`, {
      code: 'MALFORMED_RESPONSE',
      ...(cause === undefined ? {} : { cause }),
    });

  const onRecord = (fields: string[], line: number): void => {
    if (build === undefined || header === undefined) {
      if (new Set(fields).size !== fields.length) {
        throw malformed(`duplicate column in the header row (line ${line})`);
      }
      header = fields;
      build = builder(fields, emptyAsNull, cast);
      return;
    }
    if (fields.length !== header.length) {
      // A blank line cannot be a record of several fields; with one column it is an empty field.
      if (fields.length === 1 && fields[0] === '' && header.length > 1) return;
      throw malformed(`line ${line} has ${fields.length} fields, the header ${header.length}`);
    }
    try {
      out.push(build(fields));
    } catch (error) {
      throw malformed(`line ${line}: ${error instanceof Error ? error.message : String(error)}`, error);
    }
  };

  let failed: SalesforceError | undefined;
  const parser = new RowParser(
    {
      bom: true,
      delimiter: options.delimiter,
      relax_column_count: true,
      skip_empty_lines: false,
    },
    (fields, line) => {
      if (failed !== undefined) return;
      try {
        onRecord(fields, line);
      } catch (error) {
        failed = error as SalesforceError;
      }
    },
  );
  // Failures surface from write() and end(); the stream's own 'error' event must not go unheard.
  parser.on('error', noop);

  const take = (): Record<string, unknown>[] => {
    const records = out;
    out = [];
    return records;
  };
  const failure = (): SalesforceError | undefined => {
    if (failed !== undefined) return failed;
    const error = parser.errored;
    if (error === null || error === undefined) return undefined;
    return error instanceof SalesforceError ? error : malformed(error.message, error);
  };

  return {
    write(chunk) {
      // csv-parse transforms synchronously: the chunk's rows are in `out` when write returns.
      parser.write(chunk);
      const error = failure();
      if (error) throw error;
      return take();
    },
    async end() {
      parser.end();
      parser.resume();
      try {
        await finished(parser);
      } catch {
        // Reported below, typed.
      }
      const error = failure();
      if (error) throw error;
      return take();
    },
    destroy() {
      parser.destroy();
    },
  };
}

/** csv-parse's stream parser, its rows taken as they are pushed (`info.lines` is then the row's). */
class RowParser extends Parser {
  readonly #onRow: (fields: string[], line: number) => void;

  constructor(
    options: ConstructorParameters<typeof Parser>[0],
    onRow: (fields: string[], line: number) => void,
  ) {
    super(options);
    this.#onRow = onRow;
  }

  override push(chunk: unknown): boolean {
    if (chunk === null) return super.push(null);
    this.#onRow(chunk as string[], this.info.lines);
    return true;
  }
}

function builder(
  columns: readonly string[],
  emptyAsNull: boolean,
  cast: Cast | undefined,
): (fields: string[]) => Record<string, unknown> {
  const n = columns.length;
  const nested = columns.some((c) => c.includes('.') || c === '__proto__');
  const value = (text: string, column: string): unknown =>
    emptyAsNull && text === '' ? null : cast === undefined ? text : cast(text, column);
  if (!nested) {
    return (fields) => {
      const record: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const column = columns[i] as string;
        record[column] = value(fields[i] as string, column);
      }
      return record;
    };
  }
  return (fields) => {
    const flat: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const column = columns[i] as string;
      const v = value(fields[i] as string, column);
      if (column === '__proto__') {
        Object.defineProperty(flat, column, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        flat[column] = v;
      }
    }
    return unflattenRecord(flat);
  };
}
