// A query through Bulk API 1.0: one query batch (PK chunking asks Salesforce to split it into
// one batch per range of ids), polled until every batch is done, then each result file of each
// completed batch streamed in turn.

import { fromCSV, RecordStream } from '@sf/record-stream';
import type { BatchInfo, Bulk1 } from './bulk1.js';
import { type CallOptions, callOptions } from './call-options.js';
import { bulkError } from './errors.js';
import { pollUntil } from './poll.js';

/** Options of Bulk 1.0's `query()`. */
export interface Bulk1QueryOptions extends CallOptions {
  /** `true` or a chunk size (Salesforce's default is 100,000, at most 250,000). */
  pkChunking?: boolean | number;
  operation?: 'query' | 'queryAll';
}

/** @internal `Bulk1#query()`: see there. */
export function queryBulk1(
  bulk: Bulk1,
  soql: string,
  options: Bulk1QueryOptions,
): RecordStream<Record<string, unknown>> {
  const object = /\bfrom\s+(\w+)/i.exec(soql)?.[1];
  if (!object)
    throw bulkError('cannot find the object of the query (FROM ...)', { code: 'INVALID_ARGUMENT' });
  const call = callOptions(options);
  return RecordStream.from(
    (async function* () {
      const job = bulk.createJob(object, options.operation ?? 'query', {
        ...(options.pkChunking === undefined ? {} : { pkChunking: options.pkChunking }),
      });
      await job.createBatch().send(soql, call);
      await job.close(call);
      let batches: BatchInfo[] = [];
      await pollUntil(
        `query job ${job.id}`,
        async (signal) => {
          batches = await job.list({ ...call, ...(signal ? { signal } : {}) });
          const failed = batches.find((b) => b.state === 'Failed');
          if (failed) {
            throw bulkError(`batch ${failed.id} failed: ${failed.stateMessage ?? ''}`, {
              code: 'BATCH_FAILED',
            });
          }
          const pending = batches.some((b) => b.state === 'Queued' || b.state === 'InProgress');
          // With PK chunking the first batch is NotProcessed once its chunks exist.
          return pending ? undefined : true;
        },
        { pollIntervalMs: bulk.pollIntervalMs, pollTimeoutMs: bulk.pollTimeoutMs, ...call },
      );
      for (const info of batches) {
        if (info.state !== 'Completed') continue;
        for (const resultId of await job.batch(info.id).resultIds(call)) {
          const res = await bulk.request({
            path: `job/${job.id}/batch/${info.id}/result/${resultId}`,
            headers: { accept: 'text/csv' },
            ...call,
          });
          yield* fromCSV(res.body(), { emptyAsNull: true });
        }
      }
    })(),
  );
}
