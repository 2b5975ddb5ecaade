// The load commands over Bulk API 1.0 (--bulk1): batches of up to 10,000 rows, every row's
// result in input order, joined back to the input rows for the result files.
import type { IngestOperation } from '@sf/bulk';
import { createBulk1 } from '@sf/bulk';
import type { Connection } from '@sf/core';
import { fromCSV } from '@sf/record-stream';
import { createReadStream } from 'node:fs';
import type { Context } from '../context.js';
import { countedChunks, type CsvFile } from '../csv-input.js';
import { cliError } from '../errors.js';
import type { Progress } from '../progress.js';
import { flatten } from '../records.js';
import { resultPaths, writeResultFiles } from '../results-files.js';
import type { LoadCommandOptions } from './load.js';
import { finishRun, pollOptions } from './run-report.js';

export interface Bulk1Load {
  conn: Connection;
  operation: IngestOperation;
  csv: CsvFile;
  options: LoadCommandOptions;
  progress: Progress;
}

export async function loadBulk1(ctx: Context, l: Bulk1Load): Promise<number> {
  if (l.csv.delimiter !== 'COMMA') {
    throw cliError(
      'INVALID_ARGUMENT',
      'Bulk API 1.0 reads comma-separated CSV only: drop --bulk1 for another --column-delimiter',
    );
  }
  const { pollIntervalMs, pollTimeoutMs } = pollOptions();
  const bulk = createBulk1(l.conn, { pollIntervalMs, pollTimeoutMs });
  const operation = l.options.hardDelete && l.operation === 'delete' ? 'hardDelete' : l.operation;
  l.progress.update({ stage: 'uploading' });
  const results = await bulk.load(
    l.options.object,
    operation,
    {
      csv: countedChunks(l.csv.path, ({ bytes, lines }) =>
        l.progress.update({
          stage: 'uploading',
          done: bytes,
          total: l.csv.bytes,
          uploaded: Math.max(0, lines - 1),
        }),
      ),
    },
    { ...(l.options.externalId ? { externalIdField: l.options.externalId } : {}), signal: ctx.signal },
  );
  const failed = results.filter((r) => !r.success).length;
  l.progress.update({
    stage: 'done',
    processed: results.length,
    succeeded: results.length - failed,
    failed,
    done: 1,
    total: 1,
  });
  l.progress.finish();
  // Results are in input order: read the input again beside them.
  const rows = fromCSV(createReadStream(l.csv.path));
  const successful: Array<{
    id: string;
    success: true;
    created: boolean;
    errors: [];
    record: Record<string, unknown>;
  }> = [];
  const failures: Array<{
    id: string | null;
    success: false;
    errors: (typeof results)[number]['errors'];
    record: Record<string, unknown>;
  }> = [];
  let i = 0;
  for await (const row of rows) {
    const r = results[i++];
    if (!r) break;
    const record = flatten(row as Record<string, unknown>);
    if (r.success)
      successful.push({ id: r.id as string, success: true, created: r.created ?? false, errors: [], record });
    else failures.push({ id: r.id ?? null, success: false, errors: r.errors, record });
  }
  const paths = resultPaths(l.csv.path, l.options.resultsDir, 'bulk1');
  const files = await writeResultFiles(
    { successful: toAsync(successful), failed: toAsync(failures), unprocessed: toAsync([]) },
    paths,
    { delimiter: ',', eol: l.csv.lineEnding === 'CRLF' ? '\r\n' : '\n' },
  );
  return finishRun(ctx, {
    jobs: [],
    object: l.options.object,
    operation: l.operation,
    state: 'JobComplete',
    uploaded: results.length,
    processed: results.length,
    succeeded: results.length - failed,
    failed,
    unprocessed: 0,
    paths,
    files,
  });
}

async function* toAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}
