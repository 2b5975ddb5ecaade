// What the CSV splitter measures of each row and how a row beyond the limits is described:
// the types of its options and of the rows it sets aside, and the words for them.

export interface CsvPart {
  /** Header then rows, streamed as the source is read. */
  body: AsyncIterable<Uint8Array>;
  /** Data rows in this part; final once `body` has been read to the end. */
  readonly rows: number;
  /** Bytes in this part, header included; final once `body` has been read. */
  readonly bytes: number;
  /**
   * Characters in this part, header included, counted as {@link CsvSplitOptions.maxChars}
   * says; final once `body` has been read. Present only when characters are counted.
   */
  readonly chars?: number;
}

/** Limits on every row (the header row included); a row beyond one cannot go into any part. */
export interface CsvRowLimits {
  /** Most characters in one field's value (enclosing quotes not counted, `""` counted once). */
  fieldChars?: number;
  /** Most characters in all of one row's field values together. */
  rowChars?: number;
  /** Most fields in one row. */
  fields?: number;
}

export interface CsvSplitOptions {
  /** Most data rows in a part (Bulk 1.0 batches hold at most 10,000). Default: no cap. */
  maxRows?: number;
  /**
   * Most characters in a part, header included. Characters are counted as UTF-16 code units
   * (as Salesforce, a Java platform, counts them) straight from the UTF-8 bytes: every byte that
   * is not a continuation byte (0x80–0xBF) starts one, and a four-byte sequence counts two.
   * Default: no cap, and no counting.
   */
  maxChars?: number;
  /** Limits on each row; a header row beyond them throws INVALID_ARGUMENT. Default: none. */
  rowLimits?: CsvRowLimits;
  /**
   * Set aside rows that cannot go into any part (beyond `rowLimits`, or too large for a part
   * with the header) and blank rows, listing them in {@link CsvSplitter.rejected}, instead of
   * throwing ROW_TOO_LARGE. Default: false.
   */
  rejectRows?: boolean;
}

/** A row left out of every part (with `rejectRows`). */
export interface CsvRejectedRow {
  /** Its position among the input's data rows, from 0 (the header is not counted, blank rows are). */
  index: number;
  /**
   * `FIELD_TOO_LONG`, `ROW_TOO_LONG` (all fields together), `TOO_MANY_FIELDS`: beyond
   * `rowLimits`; `ROW_TOO_LARGE`: the row and the header row exceed `maxBytes` or `maxChars`;
   * `BLANK_ROW`: a line with nothing on it.
   */
  code: 'FIELD_TOO_LONG' | 'ROW_TOO_LONG' | 'TOO_MANY_FIELDS' | 'ROW_TOO_LARGE' | 'BLANK_ROW';
  /** What was measured (for ROW_TOO_LARGE, with the header row), in `unit`s, and the limit. */
  size: number;
  limit: number;
  unit: 'characters' | 'fields' | 'bytes';
  /** FIELD_TOO_LONG: the field's position (from 1), and its header name if the header has one. */
  column?: number;
  name?: string;
}

export type Fault = Pick<CsvRejectedRow, 'code' | 'size' | 'limit' | 'unit' | 'column'>;

/**
 * The rejection in words, naming the column, the size and the limit; `part` is what the
 * caller calls a part ("batch").
 */
export function describeRejectedRow(row: Omit<CsvRejectedRow, 'index'>, part = 'part'): string {
  switch (row.code) {
    case 'FIELD_TOO_LONG':
      return `field ${row.column}${row.name === undefined ? '' : ` (${row.name})`} holds ${row.size} characters, more than the ${row.limit} a field may hold`;
    case 'ROW_TOO_LONG':
      return `the row's fields hold ${row.size} characters, more than the ${row.limit} a row may hold`;
    case 'TOO_MANY_FIELDS':
      return `the row has ${row.size} fields, more than the ${row.limit} a row may hold`;
    case 'ROW_TOO_LARGE':
      return `the row and the header row take ${row.size} ${row.unit}, more than the ${row.limit} a ${part} may hold`;
    default:
      return 'the row is blank';
  }
}

/** Fields of one CSV line (the header), unquoted. */
export function splitLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field.replace(/\r?\n$/, ''));
  return out;
}
