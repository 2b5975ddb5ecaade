// An ingest job's result CSV (successfulResults, failedResults, unprocessedrecords) read on the
// query's fast path: the RFC 4180 reader of csv-reader.ts and a compiled header plan, a chunk
// of the body becoming one batch of records (no stream hop or promise per record).
import type { Connection, RequestOptions } from '@sf/core';
import { createRecordStream, type RecordStream } from '@sf/record-stream';
import { SOURCE } from './errors.js';
import { gunzipped, isGzip } from './gzip-body.js';
import { createPageParser } from './query-page.js';

/**
 * @internal Streams the CSV at `path` as records (text values, dotted columns nested, as
 * `fromCSV` gives them), each turned into its result by `map`.
 */
export function resultRecords<T>(
  conn: Connection,
  path: string,
  call: Pick<RequestOptions, 'signal' | 'timeoutMs'>,
  map: (record: Record<string, unknown>) => T,
): RecordStream<T> {
  let body: AsyncIterator<Uint8Array> | undefined;
  let parser: ReturnType<typeof createPageParser> | undefined;
  let ended = false;
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
        parser = createPageParser({ delimiter: ',', emptyAsNull: false, cast: undefined, where: path });
      }
      for (;;) {
        if (ended) return null;
        const step = await body.next();
        const page = parser as ReturnType<typeof createPageParser>;
        let records: Record<string, unknown>[];
        if (step.done) {
          ended = true;
          records = await page.end();
        } else {
          records = page.write(step.value);
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
