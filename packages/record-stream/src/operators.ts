import {
  assertBatchSize,
  assertFunction,
  batchSource,
  filterSource,
  mapSource,
  type RecordSource,
} from './pull.js';
import { fromPipe, type RecordStream } from './record-stream.js';

/**
 * `map(source, fn)`: the standalone form of `RecordStream#map`, for any iterable, async iterable
 * or Readable of records. Yields `fn(record)` for each record in order; `fn` may be async and is
 * called one record at a time; it must not return `null` or `undefined`.
 *
 * @example
 * ```ts
 * const rows = map(query, (r) => ({ ID: r.Id, FULL_NAME: r.Name }));
 * ```
 */
export function map<T, U>(source: RecordSource<T>, fn: (record: T) => U | PromiseLike<U>): RecordStream<U> {
  assertFunction(fn, 'map');
  return fromPipe(source, (upstream) => mapSource(upstream, fn));
}

/**
 * `filter(source, fn)`: the standalone form of `RecordStream#filter`. Yields the records for
 * which `fn` (possibly async) returns a truthy value, in their original order.
 *
 * @example
 * ```ts
 * const seen = new Set<string>();
 * const unique = filter(leads, (r) => !seen.has(r.Email) && Boolean(seen.add(r.Email)));
 * ```
 */
export function filter<T, S extends T>(
  source: RecordSource<T>,
  fn: (record: T) => record is S,
): RecordStream<S>;
export function filter<T>(source: RecordSource<T>, fn: (record: T) => unknown): RecordStream<T>;
export function filter<T>(source: RecordSource<T>, fn: (record: T) => unknown): RecordStream<T> {
  assertFunction(fn, 'filter');
  return fromPipe(source, (upstream) => filterSource(upstream, fn));
}

/**
 * `batch(source, size)`: the standalone form of `RecordStream#batch`. Yields arrays of `size`
 * records (the last one may be shorter, an empty source yields nothing), buffering at most one
 * finished batch ahead of its consumer. Throws `INVALID_ARGUMENT` unless `size` is a positive integer.
 *
 * @example
 * ```ts
 * for await (const chunk of batch(records, 200)) await insertCollection(chunk);
 * ```
 */
export function batch<T>(source: RecordSource<T>, size: number): RecordStream<T[]> {
  assertBatchSize(size);
  return fromPipe(source, (upstream) => batchSource(upstream, size), 1);
}
