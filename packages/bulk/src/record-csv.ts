// Records as CSV bytes for an upload, written in 64 KB chunks: one string append per row, one
// await per record only when the source is async. Same rules as @sf/record-stream's toCSV, which
// costs several stream hops per record; an upload has no use for record-level backpressure.
import { flattenRecord } from '@sf/record-stream';

const CHUNK = 64 * 1024;
const NEEDS_QUOTES = /[",\r\n]/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isChildResult(value: unknown): boolean {
  return isPlainObject(value) && Array.isArray(value.records);
}

/** As toCSV writes a cell: dates ISO, bytes base64, objects JSON; null, undefined and child results empty. */
function cell(value: unknown): string {
  let text: string;
  switch (typeof value) {
    case 'string':
      text = value;
      break;
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null || isChildResult(value)) return '';
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
      text =
        value instanceof Uint8Array
          ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
          : (JSON.stringify(value) ?? '');
      break;
    default:
      return '';
  }
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function line(cells: readonly string[]): string {
  return `${cells.map((c) => (NEEDS_QUOTES.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')}\n`;
}

/**
 * @internal The records as CSV (LF line endings, a header row first): columns are `columns` or
 * the first record's flattened names; a top-level `null` is written `#N/A` (Bulk CSV's null).
 */
export async function* recordsToCsv(
  records: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>,
  columns: readonly string[] | undefined,
): AsyncGenerator<Uint8Array> {
  let names = columns === undefined ? undefined : [...columns];
  let text = names === undefined ? '' : line(names);
  for await (const record of records) {
    const flat = flattenRecord(record);
    if (names === undefined) {
      names = Object.keys(flat).filter((key) => !isChildResult(flat[key]));
      text += line(names);
    }
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      if (i > 0) text += ',';
      const value = Object.hasOwn(flat, name) ? flat[name] : undefined;
      // Only a top-level null means "set to null"; a null inside a parent stays an empty cell.
      text += value === null && Object.hasOwn(record, name) && record[name] === null ? '#N/A' : cell(value);
    }
    text += '\n';
    if (text.length >= CHUNK) {
      yield Buffer.from(text, 'utf8');
      text = '';
    }
  }
  if (text !== '') yield Buffer.from(text, 'utf8');
}
