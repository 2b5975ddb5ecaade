// Writes records as they arrive, in one of four formats, with memory bounded by one record
// (plus the table's first rows, read to size its columns): a JSON array is written element
// by element, never built as one string.
import type { Writable } from 'node:stream';
import { cliError } from './errors.js';
import { writeText } from './output.js';
import { cellText, cleanRecord, csvLine, flatten } from './records.js';

export const FORMATS = ['table', 'csv', 'json', 'ndjson'] as const;
export type Format = (typeof FORMATS)[number];

/** Checks a --format value. */
export function parseFormat(value: string): Format {
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw cliError('INVALID_ARGUMENT', `--format must be one of ${FORMATS.join(', ')}, got '${value}'`);
}

export interface RecordWriter {
  write(record: Record<string, unknown>): Promise<void>;
  /** Ends the output; resolves with the number of records written. */
  end(): Promise<number>;
}

export interface RecordWriterOptions {
  /** For `json`: wrap the array as `{ "records": [...], "totalSize": N, ... }` (the --json shape). */
  envelope?: boolean;
  /** Rows read to size the table's columns before the first is printed. */
  tableSampleRows?: number;
  /** Widest table column, in characters (longer cells are cut with '…'). */
  maxColumnWidth?: number;
}

/** A streaming writer of records to `stream` in `format`. */
export function createRecordWriter(
  format: Format,
  stream: Writable,
  options: RecordWriterOptions = {},
): RecordWriter {
  let count = 0;
  switch (format) {
    case 'ndjson':
      return {
        write: async (record) => {
          count += 1;
          await writeText(stream, `${JSON.stringify(cleanRecord(record))}\n`);
        },
        end: async () => count,
      };
    case 'json': {
      const open = options.envelope ? '{\n"records": [' : '[';
      return {
        write: async (record) => {
          await writeText(
            stream,
            `${count === 0 ? `${open}\n` : ',\n'}${JSON.stringify(cleanRecord(record))}`,
          );
          count += 1;
        },
        end: async () => {
          const head = count === 0 ? `${open}` : '\n';
          const tail = options.envelope ? `],\n"totalSize": ${count},\n"done": true\n}\n` : ']\n';
          await writeText(stream, head + tail);
          return count;
        },
      };
    }
    case 'csv': {
      let columns: string[] | undefined;
      return {
        write: async (record) => {
          const flat = flatten(record);
          let text = '';
          if (!columns) {
            columns = Object.keys(flat);
            text = `${csvLine(columns)}\n`;
          }
          count += 1;
          await writeText(stream, `${text}${csvLine(columns.map((c) => flat[c]))}\n`);
        },
        end: async () => count,
      };
    }
    case 'table':
      return tableWriter(stream, options);
  }
}

function tableWriter(stream: Writable, options: RecordWriterOptions): RecordWriter {
  const sampleSize = options.tableSampleRows ?? 100;
  const maxWidth = options.maxColumnWidth ?? 40;
  let sample: Array<Record<string, unknown>> | undefined = [];
  let columns: string[] = [];
  let widths: number[] = [];
  let count = 0;
  const fit = (text: string, width: number) =>
    text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => fit(c.replace(/\s+/g, ' '), widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const flush = async () => {
    if (!sample) return;
    const rows = sample;
    sample = undefined;
    if (rows.length === 0) return;
    columns = Object.keys(rows[0] ?? {});
    widths = columns.map((c) =>
      Math.min(maxWidth, Math.max(c.length, ...rows.map((r) => cellText(r[c]).length))),
    );
    let text = `${line(columns)}\n${line(widths.map((w) => '─'.repeat(w)))}\n`;
    for (const row of rows) text += `${line(columns.map((c) => cellText(row[c])))}\n`;
    await writeText(stream, text);
  };
  return {
    write: async (record) => {
      count += 1;
      const flat = flatten(record);
      if (sample) {
        sample.push(flat);
        if (sample.length >= sampleSize) await flush();
        return;
      }
      await writeText(stream, `${line(columns.map((c) => cellText(flat[c])))}\n`);
    },
    end: async () => {
      await flush();
      await writeText(stream, `${count} record${count === 1 ? '' : 's'}\n`);
      return count;
    },
  };
}
