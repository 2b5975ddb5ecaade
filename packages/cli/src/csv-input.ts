// The CSV file a load reads: its line ending and delimiter checked up front (so --line-ending
// and --column-delimiter mean something), and a read stream that counts what it hands on.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { type ColumnDelimiter, DELIMITER_CHARS } from '@sf/bulk';
import { cliError } from './errors.js';

/** Bulk 2.0's column delimiters, by name (@sf/bulk's table). */
export const DELIMITERS = DELIMITER_CHARS;
export type DelimiterName = ColumnDelimiter;

export interface CsvFile {
  path: string;
  bytes: number;
  lineEnding: 'LF' | 'CRLF';
  delimiter: DelimiterName;
  header: string[];
}

/** Parses --column-delimiter (a name, or the character itself). */
export function parseDelimiter(value: string | undefined): DelimiterName {
  if (value === undefined) return 'COMMA';
  const upper = value.toUpperCase();
  if (Object.hasOwn(DELIMITERS, upper)) return upper as DelimiterName;
  const byChar = Object.entries(DELIMITERS).find(([, c]) => c === value || (value === '\\t' && c === '\t'));
  if (byChar) return byChar[0] as DelimiterName;
  throw cliError(
    'INVALID_ARGUMENT',
    `--column-delimiter must be one of ${Object.keys(DELIMITERS).join(', ')}, got '${value}'`,
  );
}

/**
 * Opens a CSV input and checks it against the flags: the first line's ending must be the
 * `--line-ending` given (Salesforce would read a CRLF file as LF rows ending in '\r', or one
 * line), and the header must split on the `--column-delimiter` given.
 */
export async function inspectCsv(
  path: string,
  lineEnding: string | undefined,
  delimiter: DelimiterName,
): Promise<CsvFile> {
  let bytes: number;
  try {
    bytes = (await stat(path)).size;
  } catch (error) {
    throw cliError('INVALID_ARGUMENT', `cannot read ${path}: ${(error as Error).message}`, error);
  }
  const handle = await open(path, 'r');
  const head = Buffer.alloc(Math.min(bytes, 1 << 16));
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const text = head.toString('utf8');
  const newline = text.indexOf('\n');
  if (newline < 0 && bytes > head.length)
    throw cliError('INVALID_ARGUMENT', `${path}: the header line is longer than 64 KB`);
  const found: 'LF' | 'CRLF' = newline > 0 && text[newline - 1] === '\r' ? 'CRLF' : 'LF';
  const wanted = lineEnding === undefined ? found : lineEnding.toUpperCase();
  if (wanted !== 'LF' && wanted !== 'CRLF')
    throw cliError('INVALID_ARGUMENT', `--line-ending must be LF or CRLF, got '${lineEnding}'`);
  if (newline >= 0 && wanted !== found) {
    throw cliError(
      'INVALID_ARGUMENT',
      `${path} has ${found} line endings but --line-ending ${wanted} was given: convert the file or pass --line-ending ${found}`,
    );
  }
  const headerLine = (newline < 0 ? text : text.slice(0, newline)).replace(/\r$/, '');
  const char = DELIMITERS[delimiter];
  const header = headerLine.split(char).map((h) => h.replace(/^"|"$/g, ''));
  if (header.length === 1 && delimiter !== 'COMMA' && headerLine.includes(',')) {
    throw cliError(
      'INVALID_ARGUMENT',
      `${path}: the header holds no ${delimiter} delimiter but commas: pass --column-delimiter COMMA`,
    );
  }
  if (header.length === 1 && delimiter === 'COMMA') {
    const other = Object.entries(DELIMITERS).find(([, c]) => c !== ',' && headerLine.includes(c));
    if (other)
      throw cliError(
        'INVALID_ARGUMENT',
        `${path}: the header holds no comma but '${other[1]}': pass --column-delimiter ${other[0]}`,
      );
  }
  return { path, bytes, lineEnding: wanted, delimiter, header };
}

/** The file's bytes, counting bytes and line breaks as they are read. */
export async function* countedChunks(
  path: string,
  onChunk: (totals: { bytes: number; lines: number }) => void,
): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  let lines = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines += 1;
    onChunk({ bytes, lines });
    yield chunk;
  }
}
