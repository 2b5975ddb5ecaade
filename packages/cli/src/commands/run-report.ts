// What a finished load prints (summary line, or JSON) and its exit code, shared by the load
// commands, `resume` and `job wait`/`job results`.
import type { Context } from '../context.js';
import { EXIT } from '../errors.js';
import type { ResultCounts, ResultPaths } from '../results-files.js';

export interface RunSummary {
  jobs: string[];
  object: string;
  operation: string;
  state: string;
  uploaded: number;
  processed: number;
  succeeded: number;
  failed: number;
  unprocessed: number;
  paths: ResultPaths;
  files: ResultCounts;
}

/** Poll pacing: 1 s growing to 5 s (SFX_POLL_INTERVAL_MS sets the first wait, for tests). */
export function pollOptions() {
  const first = Number(process.env.SFX_POLL_INTERVAL_MS);
  const pollIntervalMs = Number.isFinite(first) && first > 0 ? first : 1_000;
  return {
    pollIntervalMs,
    maxPollIntervalMs: Math.max(pollIntervalMs, 5_000),
    pollTimeoutMs: 24 * 3_600_000,
  };
}

/** The line that says how to pick up a job left running. */
export function resumeHint(jobId: string, alias: string | undefined): string {
  return `Interrupted. Job ${jobId} keeps running on the server; resume with: sfx resume ${jobId}${alias ? ` --org ${alias}` : ''}`;
}

/** Prints the summary; exit 3 when any row failed or was not processed. */
export async function finishRun(ctx: Context, s: RunSummary): Promise<number> {
  const code = s.failed > 0 || s.unprocessed > 0 || s.state !== 'JobComplete' ? EXIT.rowsFailed : EXIT.ok;
  await ctx.out.result({ ...s, exitCode: code }, () =>
    [
      `${s.object} ${s.operation}: ${s.succeeded} succeeded, ${s.failed} failed, ${s.unprocessed} unprocessed of ${s.uploaded} uploaded (job ${s.jobs.join(', ')}, ${s.state})`,
      `  ${s.paths.success} (${s.files.success} rows)`,
      `  ${s.paths.failed} (${s.files.failed} rows)`,
      `  ${s.paths.unprocessed} (${s.files.unprocessed} rows)`,
    ].join('\n'),
  );
  return code;
}
