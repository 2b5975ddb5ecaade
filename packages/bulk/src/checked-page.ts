// A Bulk 2.0 query results page read in two passes: while its body arrives, every row is checked
// (quotes closed, as many fields as the header) and counted without being sliced into cells, and
// the text is kept; once the page is whole and its count matches, its records are built from the
// kept text a batch at a time. No record of a bad page is ever built or handed on, and a page's
// records do not all live at once (which costs the garbage collector more than building them).
import type { SalesforceError } from '@sf/core';
import { CsvReader, CsvSyntaxError } from './csv-reader.js';
import { bulkError } from './errors.js';
import { compileHeader, type HeaderPlan } from './header-plan.js';
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
  let plan: HeaderPlan | undefined;
  let rows = 0;
  const malformed = (message: string): SalesforceError =>
    bulkError(`malformed CSV in ${where}: ${message}`, { code: 'MALFORMED_RESPONSE' });

  const scanner = new CsvReader(
    options.delimiter,
    (cells, count, line) => {
      if (plan === undefined) {
        const header = cells.slice(0, count);
        if (new Set(header).size !== header.length) {
          throw malformed(`duplicate column in the header row (line ${line})`);
        }
        plan = compileHeader(header, {
          emptyAsNull: options.emptyAsNull,
          castFor: options.cast,
          nest: options.nest ?? true,
        });
        return;
      }
      if (count === plan.width) {
        rows += 1;
        return;
      }
      // A blank line cannot be a record of several fields; with one column it is an empty field.
      if (count === 1 && cells[0] === '' && plan.width > 1) return;
      throw malformed(`line ${line} has ${count} fields, the header ${plan.width}`);
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
      if (plan === undefined || piece >= pieces.length) return undefined;
      const page = plan;
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
