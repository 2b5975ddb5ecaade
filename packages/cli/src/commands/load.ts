// `sfx import|update|upsert|delete FILE.csv --object X`: Bulk API 2.0 (Bulk 1.0 with --bulk1),
// with live progress, result files beside the input, and a job you can resume after Ctrl-C.
import { resolve } from 'node:path';
import { type IngestJobInfo, type IngestOperation, ingestJob, load } from '@sf/bulk';
import type { Command } from 'commander';
import { action, type Context, isInterrupt } from '../context.js';
import { countedChunks, DELIMITERS, inspectCsv, parseDelimiter } from '../csv-input.js';
import { cliError, EXIT } from '../errors.js';
import { rememberRun, type RememberedRun } from '../jobs-store.js';
import { openOrg } from '../org.js';
import { Progress } from '../progress.js';
import { resultPaths, writeResultFiles } from '../results-files.js';
import { loadBulk1 } from './load-bulk1.js';
import { finishRun, pollOptions, resumeHint } from './run-report.js';

export interface LoadCommandOptions {
  object: string;
  externalId?: string;
  bulk1?: boolean;
  lineEnding?: string;
  columnDelimiter?: string;
  resultsDir?: string;
  hardDelete?: boolean;
  quiet?: boolean;
}

async function runLoad(
  ctx: Context,
  operation: IngestOperation,
  file: string,
  o: LoadCommandOptions,
): Promise<number> {
  if (operation === 'upsert' && !o.externalId) {
    throw cliError(
      'INVALID_ARGUMENT',
      'upsert needs --external-id FIELD (the external id field to match on)',
    );
  }
  const path = resolve(file);
  const csv = await inspectCsv(path, o.lineEnding, parseDelimiter(o.columnDelimiter));
  const { conn, key, alias } = await openOrg(ctx.options);
  const progress = new Progress(ctx.out.stderr, { silent: o.quiet === true });
  if (o.bulk1) return loadBulk1(ctx, { conn, operation, csv, options: o, progress });

  const run: RememberedRun = {
    id: '',
    jobs: [],
    api: 'bulk2',
    object: o.object,
    operation,
    input: path,
    lineEnding: csv.lineEnding,
    columnDelimiter: csv.delimiter,
    startedAt: new Date().toISOString(),
  };
  const infos = new Map<string, IngestJobInfo>();
  const uploadedJobs = new Set<string>();
  let uploaded = 0;
  let readRows = 0;
  const counts = () => {
    let processed = 0;
    let failed = 0;
    for (const info of infos.values()) {
      processed += info.numberRecordsProcessed ?? 0;
      failed += info.numberRecordsFailed ?? 0;
    }
    return { processed, failed, succeeded: processed - failed };
  };
  progress.update({ stage: 'creating job' });
  const operationRun = load(
    conn,
    o.object,
    o.hardDelete && operation === 'delete' ? 'hardDelete' : operation,
    {
      csv: countedChunks(path, ({ bytes, lines }) => {
        readRows = Math.max(0, lines - 1);
        progress.update({ stage: 'uploading', done: bytes, total: csv.bytes, uploaded: readRows });
      }),
    },
    {
      ...(o.externalId ? { externalIdField: o.externalId } : {}),
      columnDelimiter: csv.delimiter,
      signal: ctx.signal,
      // Ctrl-C leaves the jobs running on the server, so `sfx resume` can finish them.
      abortJobsOnSignal: false,
      ...pollOptions(),
    },
  );
  operationRun.on('job', (job) => {
    run.jobs.push(job.id);
    if (!run.id) run.id = job.id;
    try {
      rememberRun(key, { ...run, jobs: [...run.jobs] });
    } catch {
      // Not remembered: `sfx resume JOB_ID` still works with the id printed below.
    }
    if (!ctx.out.json) progress.interrupt();
    if (!ctx.out.json) ctx.out.note(`job ${job.id} created (${o.object} ${operation})`);
  });
  operationRun.on('upload', ({ jobId, rows }) => {
    uploadedJobs.add(jobId);
    uploaded += rows;
    progress.update({
      stage: 'processing',
      uploaded,
      done: counts().processed,
      total: uploaded,
      ...counts(),
    });
  });
  operationRun.on('progress', (info) => {
    infos.set(info.id, info);
    const c = counts();
    progress.update({
      stage: info.state === 'JobComplete' ? 'complete' : 'processing',
      uploaded: uploaded || readRows,
      done: c.processed,
      total: uploaded || readRows,
      ...c,
    });
  });
  try {
    const result = await operationRun;
    progress.update({
      stage: 'done',
      uploaded: result.numberRecordsUploaded,
      processed: result.numberRecordsProcessed,
      succeeded: result.numberRecordsSucceeded,
      failed: result.numberRecordsFailed,
      done: result.numberRecordsProcessed,
      total: result.numberRecordsUploaded,
    });
    progress.finish();
    const paths = resultPaths(path, o.resultsDir, run.id);
    const files = await writeResultFiles(
      {
        successful: result.successfulResults(),
        failed: result.failedResults(),
        unprocessed: result.unprocessedRecords(),
      },
      paths,
      { delimiter: DELIMITERS[csv.delimiter], eol: csv.lineEnding === 'CRLF' ? '\r\n' : '\n' },
    );
    return finishRun(ctx, {
      jobs: result.jobs.map((j) => j.id),
      object: o.object,
      operation,
      state: result.state,
      uploaded: result.numberRecordsUploaded,
      processed: result.numberRecordsProcessed,
      succeeded: result.numberRecordsSucceeded,
      failed: result.numberRecordsFailed,
      unprocessed: result.numberRecordsUnprocessed,
      paths,
      files,
    });
  } catch (error) {
    progress.interrupt();
    if (isInterrupt(error, ctx.signal) && run.jobs.length > 0) {
      // A job whose upload was cut short can never complete: abort it, so nothing half-sent is processed.
      const cut = run.jobs.filter((id) => !uploadedJobs.has(id));
      for (const id of cut)
        await ingestJob(conn, id)
          .abort({ timeoutMs: 10_000 })
          .catch(() => {});
      const sent = run.jobs.filter((id) => uploadedJobs.has(id));
      if (sent.length > 0) ctx.out.note(resumeHint(sent[0] as string, alias));
      else
        ctx.out.note(
          `Interrupted during the upload: job ${cut.join(', ')} aborted, nothing was loaded. Run the command again.`,
        );
      return EXIT.interrupted;
    }
    throw error;
  }
}

/** Registers `import`, `update`, `upsert` and `delete`. */
export function loadCommands(program: Command): void {
  const verbs: Array<[string, IngestOperation, string]> = [
    ['import', 'insert', 'insert the rows of a CSV file'],
    ['update', 'update', 'update records by Id from a CSV file'],
    ['upsert', 'upsert', 'upsert the rows of a CSV file on an external id'],
    ['delete', 'delete', 'delete the records whose Id is in a CSV file'],
  ];
  for (const [name, operation, description] of verbs) {
    const command = program
      .command(`${name} <file>`)
      .description(`${description} (Bulk API 2.0; --bulk1 for Bulk API 1.0)`)
      .requiredOption('-s, --object <name>', 'the sObject, e.g. Account')
      .option('--bulk1', 'use Bulk API 1.0 (results in input order; no resume)')
      .option(
        '--line-ending <LF|CRLF>',
        "the file's line ending, checked against the file (default: the file's)",
      )
      .option(
        '--column-delimiter <name>',
        `the file's delimiter: ${Object.keys(DELIMITERS).join(', ')} (default COMMA)`,
      )
      .option('--results-dir <dir>', 'where the result files go (default: beside the input)')
      .option('-q, --quiet', 'no progress on stderr');
    if (operation === 'upsert')
      command.option('-i, --external-id <field>', 'the external id field to match on');
    if (operation === 'delete') command.option('--hard-delete', 'hardDelete: skip the recycle bin');
    command.action(action((ctx, file: string, o: LoadCommandOptions) => runLoad(ctx, operation, file, o)));
  }
}
