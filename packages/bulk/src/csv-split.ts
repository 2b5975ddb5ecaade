// Cuts a CSV byte stream into uploads of at most `maxBytes`, at row boundaries, repeating the
// header row at the start of each. Only quotes and line feeds are looked at (a line feed inside
// quotes is not a row end): this finds rows, it does not parse them.

import { bulkError } from './errors.js';

const QUOTE = 0x22;
const LF = 0x0a;

export interface CsvPart {
  /** Header then rows, streamed as the source is read. */
  body: AsyncIterable<Uint8Array>;
  /** Data rows in this part; final once `body` has been read to the end. */
  readonly rows: number;
  /** Bytes in this part, header included; final once `body` has been read. */
  readonly bytes: number;
}

/** Splits `source` into parts; each part must be read to its end before asking for the next. */
export class CsvSplitter {
  readonly #source: AsyncIterator<Uint8Array>;
  readonly #maxBytes: number;
  #buf: Buffer = Buffer.alloc(0);
  /** Where unscanned bytes start in #buf, and whether that point is inside quotes. */
  #scan = 0;
  #inQuote = false;
  #nextQuote = -1;
  #ended = false;
  #header: Buffer | undefined;
  /** `\r\n` when the header ended so. */
  lineEnding: 'LF' | 'CRLF' = 'LF';
  /** Data rows seen in all parts. */
  totalRows = 0;

  readonly #maxRows: number;

  /** `maxRows` caps the data rows of a part too (Bulk 1.0 batches hold at most 10,000). */
  constructor(source: AsyncIterable<Uint8Array>, maxBytes: number, maxRows = Number.POSITIVE_INFINITY) {
    this.#source = source[Symbol.asyncIterator]();
    this.#maxBytes = maxBytes;
    this.#maxRows = maxRows;
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
    this.#nextQuote = -1;
    return true;
  }

  /** The end (exclusive) of the row starting at #scan in #buf, or -1 if #buf holds no row end yet. */
  #rowEnd(): number {
    const buf = this.#buf;
    let pos = this.#scan;
    for (;;) {
      if (this.#inQuote) {
        const q = buf.indexOf(QUOTE, pos);
        if (q < 0) {
          this.#scan = buf.length;
          return -1;
        }
        this.#inQuote = false;
        pos = q + 1;
        continue;
      }
      const lf = buf.indexOf(LF, pos);
      if (this.#nextQuote < pos && this.#nextQuote !== -2) {
        this.#nextQuote = buf.indexOf(QUOTE, pos);
        if (this.#nextQuote < 0) this.#nextQuote = -2;
      }
      const q = this.#nextQuote;
      if (q >= 0 && (lf < 0 || q < lf)) {
        this.#inQuote = true;
        pos = q + 1;
        continue;
      }
      if (lf < 0) {
        this.#scan = buf.length;
        return -1;
      }
      this.#scan = lf + 1;
      return lf + 1;
    }
  }

  /** The next row's end, reading more input as needed; at the end of input the rest is a row. */
  async #nextRow(): Promise<number> {
    for (;;) {
      const end = this.#rowEnd();
      if (end >= 0) return end;
      if (!(await this.#fill())) {
        if (this.#buf.length === 0) return -1;
        // A last row without a line ending gets one.
        this.#buf = Buffer.concat([this.#buf, Buffer.from(this.lineEnding === 'CRLF' ? '\r\n' : '\n')]);
        this.#scan = this.#buf.length;
        this.#inQuote = false;
        return this.#buf.length;
      }
    }
  }

  /** Reads the header row; false for empty input. */
  async #readHeader(): Promise<boolean> {
    if (this.#header) return true;
    const end = await this.#nextRow();
    if (end < 0) return false;
    let header = this.#buf.subarray(0, end);
    if (header[0] === 0xef && header[1] === 0xbb && header[2] === 0xbf) header = header.subarray(3);
    this.#header = Buffer.from(header);
    this.lineEnding = end >= 2 && this.#buf[end - 2] === 0x0d ? 'CRLF' : 'LF';
    this.#consume(end);
    return true;
  }

  #consume(n: number): void {
    this.#buf = this.#buf.subarray(n);
    this.#scan -= n;
    if (this.#nextQuote >= 0) this.#nextQuote -= n;
  }

  /** The header row's column names (simple split; header names hold no delimiters). */
  async columns(delimiter = ','): Promise<string[] | undefined> {
    if (!(await this.#readHeader())) return undefined;
    return this.#header!.toString('utf8')
      .trimEnd()
      .split(delimiter)
      .map((c) => c.replace(/^"|"$/g, ''));
  }

  /** The next part, or undefined when no rows are left. */
  async next(): Promise<CsvPart | undefined> {
    if (!(await this.#readHeader())) return undefined;
    const first = this.#pending >= 0 ? this.#pending : await this.#nextRow();
    this.#pending = -1;
    if (first < 0) return undefined;
    const header = this.#header!;
    if (header.length + first > this.#maxBytes) {
      throw bulkError(`a CSV row of ${first} bytes does not fit in an upload of ${this.#maxBytes} bytes`, {
        code: 'ROW_TOO_LARGE',
      });
    }
    const state = { rows: 0, bytes: 0 };
    const self = this;
    let pendingEnd = first;
    async function* body(): AsyncGenerator<Uint8Array> {
      yield header;
      state.bytes = header.length;
      for (;;) {
        // Rows [0, fit) of the buffer fit in this part; pendingEnd is a complete row's end.
        let fit = 0;
        let end = pendingEnd;
        while (end >= 0 && state.bytes + end <= self.#maxBytes && state.rows < self.#maxRows) {
          fit = end;
          state.rows += 1;
          const more = self.#rowEnd();
          if (more < 0) {
            end = -1;
            break;
          }
          end = more;
        }
        if (fit > 0) {
          const out = self.#buf.subarray(0, fit);
          state.bytes += fit;
          self.#consume(fit);
          if (end >= 0) end -= fit;
          yield out;
        }
        if (end >= 0) {
          // A complete row that does not fit: it starts the next part.
          pendingEnd = end;
          self.#pending = end;
          return;
        }
        pendingEnd = await self.#nextRow();
        if (pendingEnd < 0) {
          self.#pending = -1;
          return;
        }
      }
    }
    const part: CsvPart = {
      body: (async function* () {
        for await (const chunk of body()) yield chunk;
        self.totalRows += state.rows;
      })(),
      get rows() {
        return state.rows;
      },
      get bytes() {
        return state.bytes;
      },
    };
    return part;
  }

  #pending = -1;
}
