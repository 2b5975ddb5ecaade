// `sfx query SOQL` (REST, streamed page by page) and `sfx export SOQL` (Bulk API 2.0 query job,
// result pages streamed). Both write records as they arrive: memory stays flat.
import { bulkQuery, bulkQueryAll } from '@sf/bulk';
import { query, queryAll } from '@sf/query';
import type { Command } from 'commander';
import { action, type Context } from '../context.js';
import { FORMATS } from '../record-writer.js';
import { openOrg } from '../org.js';
import { openSink, reportFile, type SinkOptions } from '../sink.js';

interface QueryOptions extends SinkOptions {
  allRows?: boolean;
  tooling?: boolean;
}

async function runQuery(ctx: Context, soql: string, o: QueryOptions): Promise<number> {
  const { conn } = await openOrg(ctx.options);
  const sink = await openSink(ctx, o);
  const target = o.tooling ? conn.tooling : conn;
  const records = (o.allRows ? queryAll : query)(target, soql, { signal: ctx.signal });
  let count = 0;
  try {
    sink.progress.update({ stage: 'querying', records: 0 });
    for await (const record of records) {
      await sink.writer.write(record as Record<string, unknown>);
      count += 1;
      sink.progress.update({ stage: 'querying', records: count });
    }
  } catch (error) {
    sink.progress.interrupt();
    throw error;
  }
  const total = await sink.close();
  sink.progress.finish();
  await reportFile(ctx, sink, total);
  return 0;
}

interface ExportOptions extends SinkOptions {
  allRows?: boolean;
  maxRecords?: string;
}

async function runExport(ctx: Context, soql: string, o: ExportOptions): Promise<number> {
  const { conn } = await openOrg(ctx.options);
  const sink = await openSink(ctx, o);
  let jobId: string | undefined;
  const progress = sink.progress;
  progress.update({ stage: 'creating job' });
  const records = (o.allRows ? bulkQueryAll : bulkQuery)(conn, soql, {
    signal: ctx.signal,
    pollIntervalMs: 500,
    ...(o.maxRecords ? { maxRecords: Number(o.maxRecords) } : {}),
    onJob: (id) => {
      jobId = id;
      progress.update({ stage: 'processing', jobId: id });
    },
  });
  let count = 0;
  try {
    for await (const record of records) {
      await sink.writer.write(record as Record<string, unknown>);
      count += 1;
      progress.update({ stage: 'exporting', records: count });
    }
  } catch (error) {
    progress.interrupt();
    if (jobId) ctx.out.note(`export job ${jobId} did not finish`);
    throw error;
  }
  const total = await sink.close();
  progress.update({ stage: 'done', records: total });
  progress.finish(
    sink.file || ctx.out.json ? undefined : `Exported ${total} records (job ${jobId ?? 'none'}).`,
  );
  if (sink.file) await reportFile(ctx, sink, total, { jobId: jobId ?? null });
  return 0;
}

const formatHelp = `output format: ${FORMATS.join('|')} (default: table, json under --json, from the --out extension)`;

/** Registers `query` and `export`. */
export function queryCommands(program: Command): void {
  program
    .command('query <soql>')
    .description('run a SOQL query through the REST API, streamed page by page')
    .option('-f, --format <format>', formatHelp)
    .option('--out <file>', 'write the records to a file instead of stdout')
    .option('--all-rows', 'include deleted and archived records (queryAll)')
    .option('--tooling', 'query the Tooling API')
    .option('-q, --quiet', 'no progress on stderr')
    .action(action((ctx, soql: string, o: QueryOptions) => runQuery(ctx, soql, o)));
  program
    .command('export <soql>')
    .description('export records through a Bulk API 2.0 query job, result pages streamed')
    .option('-f, --format <format>', formatHelp)
    .option('--out <file>', 'write the records to a file instead of stdout')
    .option('--all-rows', 'include deleted and archived records (queryAll)')
    .option('--max-records <n>', 'records per result page')
    .option('-q, --quiet', 'no progress on stderr')
    .action(action((ctx, soql: string, o: ExportOptions) => runExport(ctx, soql, o)));
}
