// The bulk jobs started from this machine, per org (jobs.json in the config dir, 0600), so
// `sfx resume` finds the most recent one and knows where its input and results live.
import { readJsonFile, writeJsonFile } from './config-dir.js';

/** One load: the jobs it created (one per 100 MB of input) and its input file. */
export interface RememberedRun {
  /** The first job's id; any of `jobs` finds the run. */
  id: string;
  jobs: string[];
  api: 'bulk2';
  object: string;
  operation: string;
  input: string | null;
  lineEnding: 'LF' | 'CRLF';
  columnDelimiter: string;
  startedAt: string;
}

type JobsFile = Record<string, RememberedRun[]>;

const FILE = 'jobs.json';
const KEEP = 50;

/** Remembers (or updates) a run for an org. */
export async function rememberRun(orgKey: string, run: RememberedRun): Promise<void> {
  const file = await readJsonFile<JobsFile>(FILE, {});
  const runs = (file[orgKey] ?? []).filter((r) => r.id !== run.id);
  runs.push(run);
  file[orgKey] = runs.slice(-KEEP);
  await writeJsonFile(FILE, file);
}

/** The run holding `jobId`, or the most recent run of the org when `jobId` is undefined. */
export async function findRun(orgKey: string, jobId: string | undefined): Promise<RememberedRun | undefined> {
  const runs = (await readJsonFile<JobsFile>(FILE, {}))[orgKey] ?? [];
  if (jobId === undefined) return runs[runs.length - 1];
  return runs.find((r) => r.jobs.includes(jobId));
}
