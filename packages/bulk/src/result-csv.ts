// An ingest job's result CSV (successfulResults, failedResults, unprocessedrecords) read on the
// query's fast path: the RFC 4180 reader of csv-reader.ts and a compiled header plan, a chunk
// of the body becoming one batch of records (no stream hop or promise per record).
//
// Salesforce writes the results in the job's columnDelimiter (jsforce parses them with any of
// the six since jsforce#1622, after `sf data upsert bulk` got a PIPE job's results back as an
// unparsed string). Which one a body uses is read from its header row, so a proxy or an older
// server that answers commas for a PIPE job is read too; LF and CRLF rows both parse.
import type { Connection, RequestOptions } from '@sf/core';
import { createRecordStream, type RecordStream } from '@sf/record-stream';
import { SOURCE } from './errors.js';
import { gunzipped, isGzip } from './gzip-body.js';
import { createPageParser } from './query-page.js';

/** Bulk 2.0's six column delimiters (COMMA, TAB, SEMICOLON, PIPE, CARET, BACKQUOTE). */
const DELIMITERS = new Set([',', '\t', ';', '|', '^', '`']);
const LF = 0x0a;

/**
 * @internal The delimiter of a result body whose header row is `header`: the job's (`preferred`)
 * when it separates the header's names, else the first of the six found outside quotes (a
 * successful or failed result starts `sf__Id` or `"sf__Id"`, so the character after it tells),
 * else `preferred` or a comma (a header of one column has none).
 */
export function headerDelimiter(header: string, preferred: string | undefined): string {
  let quoted = false;
  let first: string | undefined;
  for (const c of header) {
    if (c === '"') quoted = !quoted;
    else if (c === '\r' || c === '\n') break;
    else if (!quoted && DELIMITERS.has(c)) {
      if (c === preferred) return c;
      first ??= c;
    }
  }
  return first ?? preferred ?? ',';
}

/**
 * @internal Streams the CSV at `path` as records (text values, dotted columns nested, as
 * `fromCSV` gives them), each turned into its result by `map`. `delimiter` is the job's, when
 * known; the header row decides (see {@link headerDelimiter}).
 */
export function resultRecords<T>(
  conn: Connection,
  path: string,
  call: Pick<RequestOptions, 'signal' | 'timeoutMs'>,
  map: (record: Record<string, unknown>) => T,
  delimiter?: string,
): RecordStream<T> {
  let body: AsyncIterator<Uint8Array> | undefined;
  let parser: ReturnType<typeof createPageParser> | undefined;
  // The body's first bytes, held until its header row is whole (or the body ends).
  let head: Uint8Array[] | undefined = [];
  let ended = false;
  const startParser = (): Record<string, unknown>[] => {
    const held = Buffer.concat(head ?? []);
    head = undefined;
    const end = held.indexOf(LF);
    const header = new TextDecoder('utf-8').decode(end === -1 ? held : held.subarray(0, end));
    parser = createPageParser({
      delimiter: headerDelimiter(header, delimiter),
      emptyAsNull: false,
      cast: undefined,
      where: path,
    });
    return held.length === 0 ? [] : parser.write(held);
  };
  return createRecordStream<T>(
    async (_stream, signal) => {
      if (body === undefined) {
        const res = await conn.requestRaw({
          path,
          headers: { accept: 'text/csv' },
          source: SOURCE,
          ...call,
          signal: call.signal ? AbortSignal.any([call.signal, signal]) : signal,
        });
        const raw = res.body();
        body = (isGzip(res.headers['content-encoding']) ? gunzipped(raw, path) : raw)[Symbol.asyncIterator]();
      }
      for (;;) {
        if (ended) return null;
        const step = await body.next();
        let records: Record<string, unknown>[];
        if (step.done) {
          ended = true;
          const rest = head === undefined ? [] : startParser();
          records = [...rest, ...(await (parser as ReturnType<typeof createPageParser>).end())];
        } else if (head !== undefined) {
          head.push(step.value);
          if (step.value.indexOf(LF) === -1) continue;
          records = startParser();
        } else {
          records = (parser as ReturnType<typeof createPageParser>).write(step.value);
        }
        if (records.length === 0) continue;
        const out = records as unknown as T[];
        for (let i = 0; i < records.length; i++) out[i] = map(records[i] as Record<string, unknown>);
        return out;
      }
    },
    {
      ...(call.signal ? { signal: call.signal } : {}),
      onClose: () => {
        void body?.return?.()?.catch?.(() => {});
      },
    },
  );
}
