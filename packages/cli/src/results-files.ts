// success.csv, failed.csv and unprocessed.csv of a load, written as the results stream in.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { FailedResult, SuccessfulResult } from '@sf/bulk';
import { writeText } from './output.js';
import { csvLine } from './records.js';

export interface ResultSources {
  successful: AsyncIterable<SuccessfulResult>;
  failed: AsyncIterable<FailedResult>;
  unprocessed: AsyncIterable<Record<string, unknown>>;
}

export interface ResultPaths {
  success: string;
  failed: string;
  unprocessed: string;
}

export interface ResultCounts {
  success: number;
  failed: number;
  unprocessed: number;
}

/**
 * The result files of an input: beside it, named after it (`accounts.csv` gives
 * `accounts-success.csv`, `accounts-failed.csv`, `accounts-unprocessed.csv`), or in `dir`.
 */
export function resultPaths(input: string | null, dir: string | undefined, jobId: string): ResultPaths {
  const base = input ? basename(input, extname(input)) : jobId;
  const where = dir ?? (input ? dirname(input) : process.cwd());
  return {
    success: join(where, `${base}-success.csv`),
    failed: join(where, `${base}-failed.csv`),
    unprocessed: join(where, `${base}-unprocessed.csv`),
  };
}

async function writeCsv<T>(
  path: string,
  rows: AsyncIterable<T>,
  lead: string[],
  cells: (row: T) => { lead: unknown[]; record: Record<string, unknown> },
  format: { delimiter: string; eol: string },
): Promise<number> {
  const out = createWriteStream(path);
  let columns: string[] | undefined;
  let count = 0;
  try {
    for await (const row of rows) {
      const { lead: first, record } = cells(row);
      if (!columns) {
        columns = Object.keys(record);
        await writeText(out, csvLine([...lead, ...columns], format.delimiter) + format.eol);
      }
      await writeText(
        out,
        csvLine([...first, ...columns.map((c) => record[c])], format.delimiter) + format.eol,
      );
      count += 1;
    }
    if (!columns) await writeText(out, csvLine(lead, format.delimiter) + format.eol);
  } finally {
    out.end();
    await once(out, 'close');
  }
  return count;
}

/** Writes the three files; resolves with the rows in each. */
export async function writeResultFiles(
  sources: ResultSources,
  paths: ResultPaths,
  format: { delimiter: string; eol: string },
): Promise<ResultCounts> {
  const success = await writeCsv(
    paths.success,
    sources.successful,
    ['sf__Id', 'sf__Created'],
    (r) => ({ lead: [r.id, r.created], record: r.record }),
    format,
  );
  const failed = await writeCsv(
    paths.failed,
    sources.failed,
    ['sf__Id', 'sf__Error'],
    (r) => ({
      lead: [r.id, r.errors.map((e) => `${e.errorCode}:${e.message}`).join(' -- ')],
      record: r.record,
    }),
    format,
  );
  const unprocessed = await writeCsv(
    paths.unprocessed,
    sources.unprocessed,
    [],
    (r) => ({ lead: [], record: r }),
    format,
  );
  return { success, failed, unprocessed };
}
