// Where a query's or an export's records go: --out FILE (format from --format or the file's
// extension) or stdout, and what --json prints about it.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Context } from './context.js';
import { cliError } from './errors.js';
import { Progress } from './progress.js';
import { createRecordWriter, type Format, parseFormat, type RecordWriter } from './record-writer.js';

export interface SinkOptions {
  format?: string;
  out?: string;
  quiet?: boolean;
}

export interface Sink {
  writer: RecordWriter;
  format: Format;
  file: string | undefined;
  progress: Progress;
  /** Ends the output and resolves with the record count once the file is flushed. */
  close(): Promise<number>;
}

function formatFromFile(file: string): Format | undefined {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(ndjson|jsonl)$/i.test(file)) return 'ndjson';
  if (/\.json$/i.test(file)) return 'json';
  return undefined;
}

/** Opens the output of a record command. */
export async function openSink(ctx: Context, o: SinkOptions): Promise<Sink> {
  const file = o.out ? resolve(o.out) : undefined;
  const format = o.format
    ? parseFormat(o.format)
    : file
      ? (formatFromFile(file) ?? 'csv')
      : ctx.out.json
        ? 'json'
        : 'table';
  let stream: Writable = ctx.out.stdout;
  if (file) {
    const fileStream = createWriteStream(file);
    await Promise.race([
      once(fileStream, 'open'),
      once(fileStream, 'error').then(([error]) => {
        throw cliError('INVALID_ARGUMENT', `cannot write ${file}: ${(error as Error).message}`, error);
      }),
    ]);
    stream = fileStream;
  }
  // Under --json without --out, stdout is one JSON object: the records inside an envelope.
  const envelope = ctx.out.json && !file && format === 'json';
  const writer = createRecordWriter(format, stream, { envelope });
  // Progress on stderr only where it cannot mix with records on the same terminal, and as
  // plain log lines only for a file (a small query into a pipe needs no log).
  const progress = new Progress(ctx.out.stderr, {
    silent:
      o.quiet === true ||
      (!file &&
        ((ctx.out.stdout as { isTTY?: boolean }).isTTY === true ||
          (ctx.out.stderr as { isTTY?: boolean }).isTTY !== true)),
  });
  return {
    writer,
    format,
    file,
    progress,
    async close() {
      const count = await writer.end();
      if (file) {
        stream.end();
        await once(stream, 'finish');
      }
      return count;
    },
  };
}

/** Prints what --json (or a person) is told after records went to a file. */
export async function reportFile(
  ctx: Context,
  sink: Sink,
  count: number,
  extra: Record<string, unknown> = {},
) {
  if (sink.file) {
    await ctx.out.result(
      { ...extra, records: count, file: sink.file, format: sink.format },
      () => `Wrote ${count} record${count === 1 ? '' : 's'} to ${sink.file} (${sink.format}).`,
    );
  }
}
