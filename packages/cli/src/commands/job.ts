// `sfx job status|wait|results|abort JOB_ID` and `sfx resume [JOB_ID]` for Bulk API 2.0
// ingest jobs, started here or anywhere else.
import { setTimeout as sleep } from 'node:timers/promises';
import { type IngestJobInfo, ingestJob } from '@sf/bulk';
import type { Connection } from '@sf/core';
import type { Command } from 'commander';
import { action, type Context, isInterrupt } from '../context.js';
import { DELIMITERS, type DelimiterName } from '../csv-input.js';
import { cliError, EXIT } from '../errors.js';
import { findRun, type RememberedRun } from '../jobs-store.js';
import { openOrg } from '../org.js';
import { Progress } from '../progress.js';
import { resultPaths, writeResultFiles } from '../results-files.js';
import { finishRun, pollOptions, resumeHint } from './run-report.js';

const TERMINAL = new Set(['JobComplete', 'Failed', 'Aborted']);

function showInfo(info: IngestJobInfo) {
  const processed = info.numberRecordsProcessed ?? 0;
  const failed = info.numberRecordsFailed ?? 0;
  return `job ${info.id}: ${info.object} ${info.operation}, ${info.state}, ${processed} processed, ${failed} failed${info.errorMessage ? ` (${info.errorMessage})` : ''}`;
}

/** Polls jobs until every one is finished, drawing progress; resolves with their final infos. */
async function watchJobs(
  ctx: Context,
  conn: Connection,
  ids: string[],
  progress: Progress,
): Promise<IngestJobInfo[]> {
  const infos = new Map<string, IngestJobInfo>();
  const { pollIntervalMs, maxPollIntervalMs } = pollOptions();
  let wait = pollIntervalMs;
  for (;;) {
    for (const id of ids) {
      const known = infos.get(id);
      if (known && TERMINAL.has(known.state)) continue;
      const info = await ingestJob(conn, id).info({ signal: ctx.signal });
      if (info.state === 'Open') {
        throw cliError(
          'INVALID_STATE',
          `job ${id} never finished its upload (state Open), so it cannot complete: run the load again (sfx job abort ${id} discards it)`,
        );
      }
      infos.set(id, info);
    }
    const all = [...infos.values()];
    const processed = all.reduce((n, i) => n + (i.numberRecordsProcessed ?? 0), 0);
    const failed = all.reduce((n, i) => n + (i.numberRecordsFailed ?? 0), 0);
    const done = all.every((i) => TERMINAL.has(i.state));
    progress.update({
      stage: done ? 'complete' : 'processing',
      processed,
      succeeded: processed - failed,
      failed,
      jobId: ids.join(','),
    });
    if (done) return ids.map((id) => infos.get(id) as IngestJobInfo);
    await sleep(wait, undefined, { signal: ctx.signal });
    wait = Math.min(maxPollIntervalMs, Math.round(wait * 1.5));
  }
}

async function* each<T>(ids: string[], read: (id: string) => AsyncIterable<T>): AsyncGenerator<T> {
  for (const id of ids) yield* read(id);
}

/** Waits for the jobs of a run, then writes its result files and the summary. */
async function completeRun(
  ctx: Context,
  conn: Connection,
  run: RememberedRun,
  o: { resultsDir?: string; quiet?: boolean },
) {
  const progress = new Progress(ctx.out.stderr, { silent: o.quiet === true });
  let infos: IngestJobInfo[];
  try {
    infos = await watchJobs(ctx, conn, run.jobs, progress);
  } catch (error) {
    progress.interrupt();
    throw error;
  }
  progress.finish();
  const failedJob = infos.find((i) => i.state === 'Failed');
  if (failedJob)
    throw cliError('JOB_FAILED', `job ${failedJob.id} failed: ${failedJob.errorMessage ?? 'no message'}`);
  const signal = ctx.signal;
  const paths = resultPaths(run.input, o.resultsDir, run.id);
  const delimiter = DELIMITERS[(run.columnDelimiter as DelimiterName) ?? 'COMMA'] ?? ',';
  const files = await writeResultFiles(
    {
      successful: each(run.jobs, (id) => ingestJob(conn, id).successfulResults({ signal })),
      failed: each(run.jobs, (id) => ingestJob(conn, id).failedResults({ signal })),
      unprocessed: each(run.jobs, (id) => ingestJob(conn, id).unprocessedRecords({ signal })),
    },
    paths,
    { delimiter, eol: run.lineEnding === 'CRLF' ? '\r\n' : '\n' },
  );
  const processed = infos.reduce((n, i) => n + (i.numberRecordsProcessed ?? 0), 0);
  const failed = infos.reduce((n, i) => n + (i.numberRecordsFailed ?? 0), 0);
  return finishRun(ctx, {
    jobs: run.jobs,
    object: infos[0]?.object ?? run.object,
    operation: infos[0]?.operation ?? run.operation,
    state: infos.some((i) => i.state === 'Aborted') ? 'Aborted' : 'JobComplete',
    uploaded: processed + files.unprocessed,
    processed,
    succeeded: processed - failed,
    failed,
    unprocessed: files.unprocessed,
    paths,
    files,
  });
}

/** The run a job id belongs to (remembered here), or a run of that one job. */
async function runFor(key: string, jobId: string | undefined): Promise<RememberedRun> {
  const run = await findRun(key, jobId);
  if (run) return run;
  if (jobId === undefined)
    throw cliError('NOT_FOUND', 'no bulk job was started from here for this org: pass a JOB_ID');
  return {
    id: jobId,
    jobs: [jobId],
    api: 'bulk2',
    object: '',
    operation: '',
    input: null,
    lineEnding: 'LF',
    columnDelimiter: 'COMMA',
    startedAt: '',
  };
}

interface JobOptions {
  resultsDir?: string;
  quiet?: boolean;
}

async function interruptible(
  ctx: Context,
  jobId: string,
  alias: string | undefined,
  run: () => Promise<number>,
) {
  try {
    return await run();
  } catch (error) {
    if (isInterrupt(error, ctx.signal)) {
      ctx.out.note(resumeHint(jobId, alias));
      return EXIT.interrupted;
    }
    throw error;
  }
}

/** Registers `job status|wait|results|abort` and `resume`. */
export function jobCommands(program: Command): void {
  const job = program.command('job').description('Bulk API 2.0 ingest jobs: status, wait, results, abort');
  job
    .command('status <jobId>')
    .description("a job's state and counts")
    .action(
      action(async (ctx, id: string) => {
        const { conn } = await openOrg(ctx.options);
        const info = await ingestJob(conn, id).info({ signal: ctx.signal });
        await ctx.out.result(info, () => showInfo(info));
        return 0;
      }),
    );
  job
    .command('wait <jobId>')
    .description(
      'wait for a job (and the other jobs of its load) to finish, with progress; then write its result files',
    )
    .option('--results-dir <dir>', 'where the result files go (default: beside the input, else here)')
    .option('-q, --quiet', 'no progress on stderr')
    .action(
      action(async (ctx, id: string, o: JobOptions) => {
        const { conn, key, alias } = await openOrg(ctx.options);
        const run = await runFor(key, id);
        return interruptible(ctx, id, alias, () => completeRun(ctx, conn, run, o));
      }),
    );
  job
    .command('results <jobId>')
    .description("write a finished job's success, failed and unprocessed CSV files")
    .option('--results-dir <dir>', 'where the result files go (default: beside the input, else here)')
    .action(
      action(async (ctx, id: string, o: JobOptions) => {
        const { conn, key } = await openOrg(ctx.options);
        const info = await ingestJob(conn, id).info({ signal: ctx.signal });
        if (!TERMINAL.has(info.state)) {
          throw cliError(
            'INVALID_STATE',
            `job ${id} is ${info.state}: results exist once it is finished (sfx job wait ${id})`,
          );
        }
        const run = await runFor(key, id);
        return completeRun(ctx, conn, run, { ...o, quiet: true });
      }),
    );
  job
    .command('abort <jobId>')
    .description('abort a job (rows not yet processed stay unprocessed)')
    .action(
      action(async (ctx, id: string) => {
        const { conn } = await openOrg(ctx.options);
        const info = await ingestJob(conn, id).abort({ signal: ctx.signal });
        await ctx.out.result(info, () => `Aborted: ${showInfo(info)}`);
        return 0;
      }),
    );
  program
    .command('resume [jobId]')
    .description(
      'pick up a load started earlier (by job id, or the most recent for the org): wait, then write its result files',
    )
    .option('--results-dir <dir>', 'where the result files go (default: beside the input)')
    .option('-q, --quiet', 'no progress on stderr')
    .action(
      action(async (ctx, id: string | undefined, o: JobOptions) => {
        const { conn, key, alias } = await openOrg(ctx.options);
        const run = await runFor(key, id);
        if (!ctx.out.json)
          ctx.out.note(`resuming job ${run.jobs.join(', ')}${run.input ? ` (${run.input})` : ''}`);
        return interruptible(ctx, run.id, alias, () => completeRun(ctx, conn, run, o));
      }),
    );
}
