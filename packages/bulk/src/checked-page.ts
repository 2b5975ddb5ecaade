// A Bulk 2.0 query results page read in two passes: while its body arrives, every row is checked
// (quotes closed, as many fields as the header) and counted without being sliced into cells, and
// the text is kept; once the page is whole and its count matches, its records are built from the
// kept text a batch at a time. No record of a bad page is ever built or handed on, and a page's
// records do not all live at once (which costs the garbage collector more than building them).
import type { SalesforceError } from '@sf/core';
import { CsvReader, CsvSyntaxError } from './csv-reader.js';
import { bulkError } from './errors.js';
import { headerGate } from './header-plan.js';
import type { PageParserOptions } from './query-page.js';

/** @internal One page: fed its body's chunks, ended, then read in batches. */
export interface CheckedPage {
  /** Checks the rows of one chunk; throws MALFORMED_RESPONSE on a malformed row. */
  write(chunk: Uint8Array): void;
  /** Ends the body: checks its last row; throws MALFORMED_RESPONSE. */
  end(): void;
  /** The records read so far (after `end`: the page's). */
  readonly rows: number;
  /** Builds the next records (about `batch`, whole chunks of text), or undefined when none is left. */
  next(batch: number): Record<string, unknown>[] | undefined;
}

/** @internal */
export function createCheckedPage(options: PageParserOptions): CheckedPage {
  const { where } = options;
  let rows = 0;
  const malformed = (message: string): SalesforceError =>
    bulkError(`malformed CSV in ${where}: ${message}`, { code: 'MALFORMED_RESPONSE' });
  const gate = headerGate(
    { emptyAsNull: options.emptyAsNull, castFor: options.cast, nest: options.nest ?? true },
    malformed,
  );

  const scanner = new CsvReader(
    options.delimiter,
    (cells, count, line) => {
      if (gate.accept(cells, count, line) !== undefined) rows += 1;
    },
    true,
  );
  const guarded = (step: () => void): void => {
    try {
      step();
    } catch (error) {
      throw error instanceof CsvSyntaxError ? malformed(`line ${error.line}: ${error.message}`) : error;
    }
  };

  let out: Record<string, unknown>[] = [];
  let header = true;
  let builder: CsvReader | undefined;
  let piece = 0;
  return {
    write: (chunk) => guarded(() => scanner.write(chunk)),
    end: () => guarded(() => scanner.end()),
    get rows() {
      return rows;
    },
    next(batch) {
      const pieces = scanner.pieces;
      const page = gate.plan;
      if (page === undefined || piece >= pieces.length) return undefined;
      builder ??= new CsvReader(options.delimiter, (cells, count) => {
        if (header) {
          header = false;
          return;
        }
        if (count === page.width) out.push(page.build(cells));
      });
      while (piece < pieces.length && out.length < batch) {
        const text = pieces[piece] as string;
        // Each piece is let go once read: the page's memory shrinks as its records go out.
        pieces[piece] = '';
        piece += 1;
        builder.readComplete(text);
      }
      const records = out;
      out = [];
      return records;
    },
  };
}
