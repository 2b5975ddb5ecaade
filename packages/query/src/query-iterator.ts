// `for await (const record of query)`: every record of every page, one page fetched ahead. Its
// own state (the page in hand, the position in it) lives in the iterator, not in the Query.
import type { QueryRun } from './query-run.js';

/** The iterator over one QueryRun's records; `signal` is checked between records. */
export function iterateRecords<T>(run: QueryRun<T>, signal: AbortSignal | undefined): AsyncIterator<T> {
  const reader = run.reader;
  let records: readonly T[] = [];
  let i = 0;
  let finished = false;
  let emitting = false;
  const take = (): IteratorResult<T> => {
    const record = records[i++] as T;
    run.handOn(record, emitting);
    return { done: false, value: record };
  };
  // Between pages: wait for the next one (already requested), or end.
  const turnPage = async (): Promise<IteratorResult<T>> => {
    if (finished) return { done: true, value: undefined };
    try {
      while (i >= records.length) {
        const page = await reader.next();
        if (page === null) {
          finished = true;
          records = [];
          run.finish();
          return { done: true, value: undefined };
        }
        records = page.records;
        i = 0;
        emitting = run.emitsRecords;
        run.deliver(page.records, false);
      }
      if (signal?.aborted) throw signal.reason;
    } catch (error) {
      finished = true;
      reader.close();
      run.fail(error);
      throw error;
    }
    return take();
  };
  return {
    // The common case, a record of the page in hand, stays off the async-function path: this
    // loop runs once per record and its overhead is most of what iteration adds to parsing.
    next: (): Promise<IteratorResult<T>> => {
      if (i < records.length && !finished && signal?.aborted !== true) return Promise.resolve(take());
      return turnPage();
    },
    return: async (): Promise<IteratorResult<T>> => {
      if (!finished) {
        finished = true;
        records = [];
        reader.close();
        run.stopped();
      }
      return { done: true, value: undefined };
    },
  };
}
