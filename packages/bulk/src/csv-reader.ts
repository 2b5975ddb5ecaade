// The fast path for the CSV Salesforce writes (RFC 4180, the job's delimiter, LF or CRLF): the
// body's chunks decoded as they come and split with indexOf, each row's cells written into one
// reused array and handed to a sink. Measured on our own 50,000-row pages against csv-parse,
// papaparse and udsv (README, "Performance"): csv-parse took 7-10x as long, papaparse and
// udsv build an array per row (and udsv wants the whole text). csv-parse stays for CSV that users
// hand us (BOMs, other dialects, relaxed quotes), where its options earn their cost.

import { bulkError } from './errors.js';

/** @internal Receives each row: `cells[0..count)` are valid until the call returns. */
export type RowSink = (cells: string[], count: number, line: number) => void;

/** @internal Why a body is not the CSV expected: a message, and the line it was found on. */
export class CsvSyntaxError {
  constructor(
    readonly message: string,
    readonly line: number,
  ) {}
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * @internal An RFC 4180 reader fed chunk by chunk. `write` parses every complete row, keeping
 * the incomplete rest (a row cut by the chunk boundary) for the next chunk; `end` parses the
 * rest, a last row without a line break included. A malformed row throws `CsvSyntaxError`.
 */
export class CsvReader {
  readonly #delimiter: string;
  readonly #sink: RowSink;
  readonly #decoder = new TextDecoder('utf-8');
  readonly #cells: string[] = [];
  #carry = '';
  #first = true;
  #line = 1;
  #scan = false;
  #rowsSeen = 0;
  /** In scan mode, the text of every complete row read so far, in pieces that end with a row. */
  readonly pieces: string[] = [];

  /**
   * With `scan`, rows after the first are checked and counted but not sliced into cells (the
   * sink gets their count, and `cells[0]` only for a one-cell row), and the text of the rows is
   * kept in `pieces` to be read again with {@link CsvReader.readComplete}: a page is checked whole
   * before any record of it is built.
   */
  constructor(delimiter: string, sink: RowSink, scan = false) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw bulkError(`unsupported CSV delimiter ${JSON.stringify(delimiter)}`, { code: 'INVALID_ARGUMENT' });
    }
    this.#delimiter = delimiter;
    this.#sink = sink;
    this.#scan = scan;
  }

  /** Reads `text`, whole rows only (a piece from a scanning reader), as if it were final. */
  readComplete(text: string): void {
    const rest = this.#rows(text, 0, true);
    if (rest < text.length) throw new CsvSyntaxError('the last quoted value is not closed', this.#line);
  }

  /** Lines read so far, the header's included. */
  get lines(): number {
    return this.#line - 1;
  }

  write(chunk: Uint8Array): void {
    this.#feed(this.#decoder.decode(chunk, { stream: true }), false);
  }

  end(): void {
    this.#feed(this.#decoder.decode(), true);
  }

  #feed(decoded: string, final: boolean): void {
    // Always a concatenation, read from index 1: the first search flattens it into a sequential
    // string. Searching the decoder's string as it is can fall off a V8 cliff (indexOf on an
    // external string, as Node makes for large ones, is a slow runtime call: 0.5 s for 2 MB).
    const text = (this.#carry === '' ? '\n' : this.#carry) + decoded;
    let start = this.#carry === '' ? 1 : 0;
    this.#carry = '';
    if (this.#first && text.length > start) {
      this.#first = false;
      if (text.charCodeAt(start) === 0xfeff) start += 1;
    }
    const rest = this.#rows(text, start, final);
    if (this.#scan && rest > start) this.pieces.push(text.slice(start, rest));
    if (rest < text.length) {
      if (final) throw new CsvSyntaxError('the last quoted value is not closed', this.#line);
      this.#carry = text.slice(rest);
    }
  }

  /** Parses the complete rows of `text`; returns where the incomplete rest starts. */
  #rows(text: string, start: number, final: boolean): number {
    const delimiter = this.#delimiter;
    const cells = this.#cells;
    const sink = this.#sink;
    const length = text.length;
    let i = start;
    // The next quote and delimiter at or after i, kept between rows so each search is linear.
    let quote = text.indexOf('"', i);
    let delim = text.indexOf(delimiter, i);
    while (i < length) {
      let lineEnd = text.indexOf('\n', i);
      if (quote !== -1 && quote < i) quote = text.indexOf('"', i);
      if (quote === -1 || (lineEnd !== -1 && quote > lineEnd)) {
        if (lineEnd === -1) {
          if (!final) return i;
          lineEnd = length;
        }
        const end = lineEnd > i && text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
        let n = 0;
        let from = i;
        if (this.#scan && this.#rowsSeen > 0) {
          // Counted, not sliced: the cells are read again once the whole page has been checked.
          n = 1;
          for (;;) {
            if (delim !== -1 && delim < from) delim = text.indexOf(delimiter, from);
            if (delim === -1 || delim >= end) break;
            n += 1;
            from = delim + 1;
          }
          if (n === 1) cells[0] = text.slice(i, end);
          sink(cells, n, this.#line);
          this.#line += 1;
          i = lineEnd + 1;
          continue;
        }
        this.#rowsSeen += 1;
        for (;;) {
          if (delim !== -1 && delim < from) delim = text.indexOf(delimiter, from);
          if (delim === -1 || delim >= end) {
            cells[n++] = text.slice(from, end);
            break;
          }
          cells[n++] = text.slice(from, delim);
          from = delim + 1;
        }
        sink(cells, n, this.#line);
        this.#line += 1;
        i = lineEnd + 1;
        continue;
      }
      const next = this.#quotedRow(text, i, final);
      if (next === -1) return i;
      i = next;
      if (delim !== -1 && delim < i) delim = text.indexOf(delimiter, i);
    }
    return length;
  }

  /** A row with a quote in it, from `start`; returns the index after it, or -1 if incomplete. */
  #quotedRow(text: string, start: number, final: boolean): number {
    const delimiter = this.#delimiter;
    const d = delimiter.charCodeAt(0);
    const cells = this.#cells;
    const length = text.length;
    let breaks = 0;
    let n = 0;
    let i = start;
    for (;;) {
      let cell: string;
      if (text.charCodeAt(i) === QUOTE) {
        cell = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q === -1 || (q + 1 === length && !final)) return -1;
          cell += text.slice(from, q);
          if (text.charCodeAt(q + 1) !== QUOTE) {
            i = q + 1;
            break;
          }
          cell += '"';
          from = q + 2;
        }
        for (let k = cell.indexOf('\n'); k !== -1; k = cell.indexOf('\n', k + 1)) breaks += 1;
        const after = i < length ? text.charCodeAt(i) : -1;
        if (after !== d && after !== LF && after !== CR && after !== -1) {
          throw new CsvSyntaxError(
            'a quoted value is followed by text before its delimiter',
            this.#line + breaks,
          );
        }
      } else {
        let end = i;
        for (; end < length; end++) {
          const c = text.charCodeAt(end);
          if (c === d || c === LF || c === CR) break;
          if (c === QUOTE) {
            throw new CsvSyntaxError(
              'a quote inside a value that does not start with one',
              this.#line + breaks,
            );
          }
        }
        cell = text.slice(i, end);
        i = end;
      }
      cells[n++] = cell;
      if (i >= length) {
        if (!final) return -1;
        break;
      }
      const c = text.charCodeAt(i);
      if (c === d) {
        i += 1;
        continue;
      }
      if (c === CR) {
        if (i + 1 >= length && !final) return -1;
        i += 1;
        if (i < length && text.charCodeAt(i) !== LF) {
          throw new CsvSyntaxError(
            'a carriage return outside quotes that does not end the line',
            this.#line + breaks,
          );
        }
      }
      i += 1;
      break;
    }
    this.#rowsSeen += 1;
    this.#sink(cells, n, this.#line);
    this.#line += 1 + breaks;
    return i;
  }
}
