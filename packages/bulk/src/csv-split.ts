// Cuts a CSV byte stream into uploads of at most `maxBytes`, at row boundaries, repeating the
// header row at the start of each (Bulk 2.0 jobs, Bulk 1.0 batches). One scanner reads every
// byte once: it finds row ends (a line feed outside quotes), field boundaries (commas outside
// quotes) and counts characters, so the same code enforces Bulk 1.0's character cap and row
// limits and, without them, only splits. Internal: `load()` of either API is what users call.

import { bulkError } from './errors.js';
import {
  type CsvPart,
  type CsvRejectedRow,
  type CsvSplitOptions,
  describeRejectedRow,
  type Fault,
  splitLine,
} from './csv-row-limits.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;

/** Splits `source` into parts; each part must be read to its end before asking for the next. */
export class CsvSplitter {
  readonly #source: AsyncIterator<Uint8Array>;
  readonly #maxBytes: number;
  readonly #maxRows: number;
  #buf: Buffer = Buffer.alloc(0);
  /** Where unscanned bytes start in #buf, and whether that point is inside quotes. */
  #scan = 0;
  #inQuote = false;
  #ended = false;
  #header: Buffer | undefined;
  #pending = -1;
  /** `\r\n` when the header ended so. */
  lineEnding: 'LF' | 'CRLF' = 'LF';
  /** Rows set aside so far (with `rejectRows`), in input order. */
  readonly rejected: CsvRejectedRow[] = [];

  // Limits (Infinity when not given) and the scan state of the row being read.
  readonly #maxChars: number;
  readonly #fieldLimit: number;
  readonly #rowLimit: number;
  readonly #fieldsLimit: number;
  readonly #rejectRows: boolean;
  /** Data rows in parts already read to their end. */
  #placed = 0;
  #headerChars = 0;
  #names: string[] | undefined;
  /** The row being scanned: previous byte closed a quote (so a quote now is an escaped one) or was a CR outside quotes. */
  #closed = false;
  #cr = false;
  #field = 0;
  #raw = 0;
  #fields = 0;
  #value = 0;
  #fault: Fault | undefined;
  /** The row scanned last: its characters (all of them, as sent), what is wrong with it, blank or not. */
  #lastRaw = 0;
  #lastFault: Fault | undefined;
  #lastBlank = false;

  /**
   * @example
   * const splitter = new CsvSplitter(csvBytes, 10_000_000, { maxRows: 10_000, maxChars: 10_000_000 });
   * for (let part = await splitter.next(); part; part = await splitter.next()) await upload(part.body);
   */
  constructor(source: AsyncIterable<Uint8Array>, maxBytes: number, o: CsvSplitOptions = {}) {
    this.#source = source[Symbol.asyncIterator]();
    this.#maxBytes = maxBytes;
    this.#maxRows = o.maxRows ?? Number.POSITIVE_INFINITY;
    this.#maxChars = o.maxChars ?? Number.POSITIVE_INFINITY;
    this.#fieldLimit = o.rowLimits?.fieldChars ?? Number.POSITIVE_INFINITY;
    this.#rowLimit = o.rowLimits?.rowChars ?? Number.POSITIVE_INFINITY;
    this.#fieldsLimit = o.rowLimits?.fields ?? Number.POSITIVE_INFINITY;
    this.#rejectRows = o.rejectRows ?? false;
  }

  async #fill(): Promise<boolean> {
    if (this.#ended) return false;
    const { done, value } = await this.#source.next();
    if (done) {
      this.#ended = true;
      return false;
    }
    const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    return true;
  }

  /**
   * The end (exclusive) of the row starting at #scan in #buf, or -1 if #buf holds no row end
   * yet. One byte at a time: a line feed outside quotes ends the row, a comma outside quotes a
   * field; characters are counted, of the row as sent (#raw) and of each field's value
   * (#field). The scan state survives a row that spans reads, so a character split across
   * chunks counts once.
   */
  #rowEnd(): number {
    const buf = this.#buf;
    const n = buf.length;
    let inQuote = this.#inQuote;
    let closed = this.#closed;
    let cr = this.#cr;
    let field = this.#field;
    let raw = this.#raw;
    for (let i = this.#scan; i < n; i++) {
      const b = buf[i] as number;
      // Most bytes: ASCII above the comma, so no quote, comma, CR or LF.
      if (b > COMMA && b < 0x80) {
        raw += 1;
        field += 1;
        closed = false;
        cr = false;
        continue;
      }
      if (b >= 0x80) {
        if (b < 0xc0) continue;
        const w = b >= 0xf0 ? 2 : 1;
        raw += w;
        field += w;
        closed = false;
        cr = false;
        continue;
      }
      raw += 1;
      if (b === QUOTE) {
        if (inQuote) {
          inQuote = false;
          closed = true;
        } else {
          if (closed) field += 1;
          inQuote = true;
          closed = false;
        }
        cr = false;
        continue;
      }
      closed = false;
      if (inQuote) {
        field += 1;
        continue;
      }
      if (b === COMMA) {
        this.#endField(field);
        field = 0;
        cr = false;
        continue;
      }
      if (b === LF) {
        this.#endField(cr ? field - 1 : field);
        this.#endRow(raw);
        this.#inQuote = false;
        this.#closed = false;
        this.#cr = false;
        this.#field = 0;
        this.#raw = 0;
        this.#scan = i + 1;
        return i + 1;
      }
      field += 1;
      cr = b === CR;
    }
    this.#inQuote = inQuote;
    this.#closed = closed;
    this.#cr = cr;
    this.#field = field;
    this.#raw = raw;
    this.#scan = n;
    return -1;
  }

  #endField(chars: number): void {
    this.#fields += 1;
    this.#value += chars;
    if (chars > this.#fieldLimit && this.#fault === undefined) {
      this.#fault = {
        code: 'FIELD_TOO_LONG',
        size: chars,
        limit: this.#fieldLimit,
        unit: 'characters',
        column: this.#fields,
      };
    }
  }

  #endRow(raw: number): void {
    let fault = this.#fault;
    if (fault === undefined && this.#fields > this.#fieldsLimit)
      fault = { code: 'TOO_MANY_FIELDS', size: this.#fields, limit: this.#fieldsLimit, unit: 'fields' };
    if (fault === undefined && this.#value > this.#rowLimit)
      fault = { code: 'ROW_TOO_LONG', size: this.#value, limit: this.#rowLimit, unit: 'characters' };
    this.#lastRaw = raw;
    this.#lastFault = fault;
    this.#lastBlank = this.#fields === 1 && this.#value === 0 && raw <= 2;
    this.#fields = 0;
    this.#value = 0;
    this.#fault = undefined;
  }

  /** The next row's end, reading more input as needed; at the end of input the rest is a row. */
  async #nextRow(): Promise<number> {
    for (;;) {
      const end = this.#rowEnd();
      if (end >= 0) return end;
      if (!(await this.#fill())) {
        if (this.#buf.length === 0) return -1;
        // A last row without a line ending gets one.
        const scanned = this.#buf.length;
        this.#buf = Buffer.concat([this.#buf, Buffer.from(this.lineEnding === 'CRLF' ? '\r\n' : '\n')]);
        this.#inQuote = false;
        this.#scan = scanned;
        return this.#rowEnd();
      }
    }
  }

  /** Reads the header row; false for empty input. */
  async #readHeader(): Promise<boolean> {
    if (this.#header) return true;
    const end = await this.#nextRow();
    if (end < 0) return false;
    let header = this.#buf.subarray(0, end);
    const bom = header[0] === 0xef && header[1] === 0xbb && header[2] === 0xbf;
    if (bom) header = header.subarray(3);
    this.#header = Buffer.from(header);
    this.lineEnding = end >= 2 && this.#buf[end - 2] === 0x0d ? 'CRLF' : 'LF';
    this.#consume(end);
    this.#checkHeader(bom);
    return true;
  }

  /** A header beyond the row limits, or one that leaves no room for a row, fails the whole input. */
  #checkHeader(bom: boolean): void {
    this.#headerChars = this.#lastRaw - (bom ? 1 : 0);
    const fault = this.#lastFault;
    if (fault) {
      throw bulkError(
        `the CSV header row is beyond a row's limits: ${describeRejectedRow(this.#named(fault))}`,
        {
          code: 'INVALID_ARGUMENT',
        },
      );
    }
    const header = this.#header as Buffer;
    // The smallest row is one byte, one character (a line feed).
    if (this.#rejectRows && (header.length >= this.#maxBytes || this.#headerChars >= this.#maxChars)) {
      throw bulkError(
        `the CSV header row (${header.length} bytes, ${this.#headerChars} characters) leaves no room for a row in a part of at most ${this.#maxBytes} bytes and ${this.#maxChars} characters`,
        { code: 'INVALID_ARGUMENT' },
      );
    }
  }

  /** The fault with its column's header name, when it is about a column the header names. */
  #named(fault: Fault): Omit<CsvRejectedRow, 'index'> {
    if (fault.column === undefined) return fault;
    this.#names ??= splitLine((this.#header as Buffer).toString('utf8'));
    const name = this.#names[fault.column - 1];
    return name === undefined ? fault : { ...fault, name };
  }

  #consume(n: number): void {
    this.#buf = this.#buf.subarray(n);
    this.#scan -= n;
  }

  /** The first `n` buffered bytes, consumed. */
  #take(n: number): Buffer {
    const out = this.#buf.subarray(0, n);
    this.#consume(n);
    return out;
  }

  /**
   * Why the row scanned last, `rowBytes` long, can go into no part (or, with
   * `rejectRows`, why it is left out), or undefined.
   */
  #unsendable(rowBytes: number): Omit<CsvRejectedRow, 'index'> | undefined {
    const fault = this.#lastFault;
    if (fault) return this.#named(fault);
    if (this.#rejectRows && this.#lastBlank)
      return { code: 'BLANK_ROW', size: 0, limit: 0, unit: 'characters' };
    const bytes = (this.#header as Buffer).length + rowBytes;
    if (bytes > this.#maxBytes)
      return { code: 'ROW_TOO_LARGE', size: bytes, limit: this.#maxBytes, unit: 'bytes' };
    const chars = this.#headerChars + this.#lastRaw;
    if (chars > this.#maxChars)
      return { code: 'ROW_TOO_LARGE', size: chars, limit: this.#maxChars, unit: 'characters' };
    return undefined;
  }

  /** Leaves out the row [0, end) of the buffer when it cannot be sent; true if it did. */
  #setAside(end: number, index: number): boolean {
    const why = this.#unsendable(end);
    if (!why) return false;
    if (!this.#rejectRows) throw bulkError(describeRejectedRow(why), { code: 'ROW_TOO_LARGE' });
    this.rejected.push({ index, ...why });
    this.#consume(end);
    return true;
  }

  /** The next part, or undefined when no rows are left. */
  async next(): Promise<CsvPart | undefined> {
    if (!(await this.#readHeader())) return undefined;
    let first = this.#pending >= 0 ? this.#pending : await this.#nextRow();
    this.#pending = -1;
    while (first >= 0 && this.#setAside(first, this.#placed + this.rejected.length)) {
      first = await this.#nextRow();
    }
    if (first < 0) return undefined;
    const header = this.#header!;
    if (header.length + first > this.#maxBytes) {
      throw bulkError(`a CSV row of ${first} bytes does not fit in an upload of ${this.#maxBytes} bytes`, {
        code: 'ROW_TOO_LARGE',
      });
    }
    const state = { rows: 0, bytes: header.length, chars: this.#headerChars };
    const self = this;
    async function* body(): AsyncGenerator<Uint8Array> {
      yield header;
      // Bytes [0, fit) of the buffer are rows of this part not yet passed on; `end` is the end
      // of the complete row that starts at `fit`, or -1 when more input is needed.
      let fit = 0;
      let end = first;
      for (;;) {
        if (end < 0) {
          if (fit > 0) {
            yield self.#take(fit);
            fit = 0;
          }
          end = await self.#nextRow();
          if (end < 0) break;
          continue;
        }
        const rowBytes = end - fit;
        // A row that can go into no part is left out, rather than ending this part; without
        // rejectRows a row too large only ends this part, and next() throws for it.
        const why = self.#unsendable(rowBytes);
        if (why !== undefined && (self.#rejectRows || why.code !== 'ROW_TOO_LARGE')) {
          if (fit > 0) {
            yield self.#take(fit);
            end -= fit;
            fit = 0;
          }
          self.#setAside(end, self.#placed + state.rows + self.rejected.length);
          end = self.#rowEnd();
          continue;
        }
        if (
          state.rows >= self.#maxRows ||
          state.bytes + rowBytes > self.#maxBytes ||
          state.chars + self.#lastRaw > self.#maxChars
        ) {
          // A complete row that does not fit: it starts the next part.
          if (fit > 0) {
            yield self.#take(fit);
            end -= fit;
          }
          self.#pending = end;
          break;
        }
        fit = end;
        state.rows += 1;
        state.bytes += rowBytes;
        state.chars += self.#lastRaw;
        end = self.#rowEnd();
      }
      self.#placed += state.rows;
    }
    const part: CsvPart = {
      body: body(),
      get rows() {
        return state.rows;
      },
      get bytes() {
        return state.bytes;
      },
      get chars() {
        return state.chars;
      },
    };
    return part;
  }
}
