// The ways to consume a Query besides iteration (query-iterator.ts): await it, run it with
// events, stream it. Each drives one QueryRun and touches nothing else.
import { salesforceError } from '@sf/core';
import type { Writable } from 'node:stream';
import { createRecordStream, type RecordStream } from '@sf/record-stream';
import type { QueryRun } from './query-run.js';
import type { QueryStreamOptions } from './query-types.js';
import { SOURCE } from './source.js';

/**
 * `await query`: the first page, or with `autoFetch` every record in one array. Settles the
 * run's completion, which is what the awaiter gets.
 */
export async function collect<T>(run: QueryRun<T>, autoFetch: boolean): Promise<void> {
  const reader = run.reader;
  try {
    const first = await reader.next();
    if (first === null)
      throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'the query ended before its first page');
    run.deliver(first.records);
    let records = first.records;
    if (autoFetch) {
      records = [...records];
      for (let page = await reader.next(); page !== null; page = await reader.next()) {
        run.deliver(page.records);
        for (const record of page.records) records.push(record);
      }
    }
    reader.close();
    run.finish(records);
  } catch (error) {
    run.fail(error);
  }
}

/** `run()`: every page read is handed to the listeners, then `end` (or `error`). */
export async function runEvents<T>(run: QueryRun<T>): Promise<void> {
  const reader = run.reader;
  try {
    for (let page = await reader.next(); page !== null; page = await reader.next()) {
      run.deliver(page.records);
    }
    run.finish();
  } catch (error) {
    run.fail(error);
  }
}

/**
 * `stream()`: a RecordStream pulling one page at a time. `hasListener()` says whether the
 * query's `error` listeners or an awaiter will hear a failure.
 */
export function streamRecords<T>(
  run: QueryRun<T>,
  options: QueryStreamOptions,
  signal: AbortSignal | undefined,
  heard: () => boolean,
): RecordStream<T> {
  const reader = run.reader;
  let ended = false;
  const stream = createRecordStream<T>(
    async () => {
      const page = await reader.next();
      if (page === null) {
        ended = true;
        return null;
      }
      run.deliver(page.records);
      return page.records;
    },
    {
      highWaterMark: options.highWaterMark ?? 1,
      ...(signal === undefined ? {} : { signal }),
      onClose: (error) => {
        reader.close();
        if (error) run.fail(error);
        else if (ended) run.finish();
        else run.stopped();
      },
    },
  );
  refuseBytePipes(stream);
  // The error policy: the stream's error reaches its own listeners, else the query's `error`
  // listeners or awaiter (fail() has told them); with nobody at all it is thrown as uncaught,
  // as an EventEmitter would, instead of being lost.
  stream.on('error', (error) => {
    if (stream.listenerCount('error') > 1) return;
    if (heard()) return;
    queueMicrotask(() => {
      throw error;
    });
  });
  return stream;
}

/** Throws when `destination` takes bytes, not records, naming `toCSV()`. */
export function checkRecordDestination(destination: Writable, call: string): void {
  if ((destination as { writableObjectMode?: boolean }).writableObjectMode === false) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `${call} sends records (objects) and the destination takes bytes: for CSV text, pipe query.toCSV() into it`,
    );
  }
}

/**
 * node-salesforce's `query(...).stream()` gave CSV text, so its README pipes it to a file
 * (`shared/seeds/`); records written to a byte stream would fail on the first write with a
 * TypeError that does not say why. This stream's `pipe` (also reached through `pipeline`) refuses
 * a byte destination with INVALID_ARGUMENT naming `toCSV()`, and closes the unread stream.
 */
function refuseBytePipes<T>(stream: RecordStream<T>): void {
  const pipe = stream.pipe.bind(stream);
  stream.pipe = <D extends NodeJS.WritableStream>(destination: D, options?: { end?: boolean }): D => {
    try {
      checkRecordDestination(destination as unknown as Writable, 'stream().pipe()');
    } catch (error) {
      stream.destroy();
      throw error;
    }
    return pipe(destination, options);
  };
}

/**
 * `pipe(destination)`: unlike a plain `Readable.pipe`, failures travel both ways: a query error
 * destroys `destination`, and a destination that fails or closes early stops the query.
 */
export function pipeRecords<T, W extends Writable>(
  source: RecordStream<T>,
  destination: W,
  options: { end?: boolean } | undefined,
): W {
  source.on('error', (error) => {
    if (!destination.destroyed) destination.destroy(error);
  });
  destination.once('close', () => {
    if (source.destroyed) return;
    const errored = (destination as { errored?: Error | null }).errored;
    source.destroy(errored ?? undefined);
  });
  return source.pipe(destination, options);
}
