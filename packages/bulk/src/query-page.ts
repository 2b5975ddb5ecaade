// One Bulk 2.0 query results page, parsed as its bytes arrive: the fast RFC 4180 reader of
// csv-reader.ts, its header row compiled into a plan (header-plan.ts) that builds each record in
// one pass over the cells. A chunk becomes one array of records, with no object-mode buffer and
// no per-record promise between the socket and the stream.
import type { SalesforceError } from '@sf/core';
import { CsvReader, CsvSyntaxError } from './csv-reader.js';
import { bulkError } from './errors.js';
import { type ColumnCast, headerGate } from './header-plan.js';

/** Gives a column (by its header name) the cast for its values, or undefined to keep the text. */
export type Cast = (column: string) => ColumnCast;

/** @internal */
export interface PageParserOptions {
  delimiter: string;
  emptyAsNull: boolean;
  cast: Cast | undefined;
  /** Names the page in error messages, e.g. `query job 750... page 3`. */
  where: string;
  /** Nest dotted columns into parent objects. Default true. */
  nest?: boolean;
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

/** @internal A parser for one page whose first row is its header, never a record. */
export function createPageParser(options: PageParserOptions): PageParser {
  const { where } = options;
  let out: Record<string, unknown>[] = [];
  const malformed = (message: string, cause?: unknown): SalesforceError =>
    bulkError(`malformed CSV in ${where}: ${message}`, {
      code: 'MALFORMED_RESPONSE',
      ...(cause === undefined ? {} : { cause }),
    });
  const gate = headerGate(
    { emptyAsNull: options.emptyAsNull, castFor: options.cast, nest: options.nest ?? true },
    malformed,
  );

  const onRow = (cells: string[], count: number, line: number): void => {
    const plan = gate.accept(cells, count, line);
    if (plan === undefined) return;
    try {
      out.push(plan.build(cells));
    } catch (error) {
      throw malformed(`line ${line}: ${error instanceof Error ? error.message : String(error)}`, error);
    }
  };

  const reader = new CsvReader(options.delimiter, onRow);
  let failed: SalesforceError | undefined;
  const run = (step: () => void): Record<string, unknown>[] => {
    if (failed !== undefined) throw failed;
    try {
      step();
    } catch (error) {
      failed =
        error instanceof CsvSyntaxError
          ? malformed(`line ${error.line}: ${error.message}`)
          : (error as SalesforceError);
      throw failed;
    }
    const records = out;
    out = [];
    return records;
  };

  return {
    write: (chunk) => run(() => reader.write(chunk)),
    end: async () => run(() => reader.end()),
    destroy() {
      out = [];
    },
  };
}
