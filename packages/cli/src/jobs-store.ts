// The bulk jobs started from this machine, per org (jobs.json in the config dir, 0600), so
// `sfx resume` finds the most recent one and knows where its input and results live.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDir, readJsonFile } from './config-dir.js';

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

/**
 * Remembers (or updates) a run for an org. Synchronous on purpose: it runs as a job is created,
 * and a process killed a moment later must still leave the job for `sfx resume` to find.
 */
export function rememberRun(orgKey: string, run: RememberedRun): void {
  const dir = configDir();
  const path = join(dir, FILE);
  let file: JobsFile = {};
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as JobsFile;
  } catch {
    // No file yet, or one that is not JSON: start a new one.
  }
  const runs = (file[orgKey] ?? []).filter((r) => r.id !== run.id);
  runs.push(run);
  file[orgKey] = runs.slice(-KEEP);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/** The run holding `jobId`, or the most recent run of the org when `jobId` is undefined. */
export async function findRun(orgKey: string, jobId: string | undefined): Promise<RememberedRun | undefined> {
  const runs = (await readJsonFile<JobsFile>(FILE, {}))[orgKey] ?? [];
  if (jobId === undefined) return runs[runs.length - 1];
  return runs.find((r) => r.jobs.includes(jobId));
}
