// Records as CSV bytes for an upload, written in 64 KB chunks: one string append per row, one
// await per record only when the source is async. Same rules as @sf/record-stream's toCSV, which
// costs several stream hops per record; an upload has no use for record-level backpressure.
import { flattenRecord, formatCell } from '@sf/record-stream';
import { bulkError } from './errors.js';

const CHUNK = 64 * 1024;
const NEEDS_QUOTES = /[",\r\n]/;

/** @internal How cells are separated and when one is quoted: the delimiter, or a quote, CR, LF. */
interface Separator {
  readonly delimiter: string;
  readonly needsQuotes: RegExp;
}

const COMMA: Separator = { delimiter: ',', needsQuotes: NEEDS_QUOTES };

function separatorOf(delimiter: string): Separator {
  if (delimiter === ',') return COMMA;
  // A comma stays quoted too: harmless, and the row reads the same in any CSV tool.
  return { delimiter, needsQuotes: new RegExp(`[",\\r\\n${delimiter.replace(/[\^\\\]-]/g, '\\$&')}]`) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** @internal A child relationship's results (`{ records: [...] }`): no CSV column of its own. */
export function isChildResult(value: unknown): boolean {
  return isPlainObject(value) && Array.isArray(value.records);
}

/** As toCSV writes a cell (its `formatCell`), quoted where CSV needs it. */
function cell(value: unknown, sep: Separator): string {
  // Numbers and booleans never need quotes: the hot path skips the test.
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return quoted(formatCell(value), sep);
}

function quoted(text: string, sep: Separator): string {
  return sep.needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function line(cells: readonly string[], sep: Separator): string {
  return `${cells.map((c) => quoted(c, sep)).join(sep.delimiter)}\n`;
}

/** Whether `key` names a parent whose fields are columns (`Account` for `Account.Ext__c`). */
function isParentOfColumn(key: string, names: readonly string[]): boolean {
  const prefix = `${key}.`;
  return names.some((n) => n.startsWith(prefix));
}

/**
 * A field with a value that no column holds, or undefined. A null parent (`Account: null`, as
 * a query returns a record without one) is no value: its columns are empty cells.
 */
function fieldOutside(flat: Record<string, unknown>, names: readonly string[]): string | undefined {
  const known = new Set(names);
  return Object.keys(flat).find((key) => {
    if (known.has(key)) return false;
    const value = flat[key];
    if (value === undefined || isChildResult(value)) return false;
    return !((value === null || value === '') && isParentOfColumn(key, names));
  });
}

/** Why a later record's field is outside the columns, as a hint for the error. */
function outsideHint(field: string, names: readonly string[]): string {
  const parent = names.find((n) => field.startsWith(`${n}.`));
  return parent === undefined
    ? ''
    : ` (the first record's ${parent} is empty, so the columns could not name its fields)`;
}

/**
 * One record's row on the direct path, or undefined when it needs the general one (an object
 * value, or fields outside the columns to be told apart).
 */
function plainRow(
  record: Record<string, unknown>,
  names: readonly string[],
  extraFields: 'error' | 'ignore',
  sep: Separator,
): string | undefined {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return undefined;
  let row = '';
  let matched = 0;
  for (let i = 0; i < names.length; i++) {
    const value = record[names[i] as string];
    if (i > 0) row += sep.delimiter;
    if (value === undefined) continue;
    matched += 1;
    if (typeof value === 'string') row += quoted(value, sep);
    else if (typeof value === 'number' || typeof value === 'boolean') row += String(value);
    else if (value === null) row += '#N/A';
    else if (value instanceof Date) row += cell(value, sep);
    else return undefined;
  }
  if (extraFields === 'error') {
    let keys = 0;
    for (const key in record) if (Object.hasOwn(record, key)) keys += 1;
    if (keys > matched) return undefined;
  }
  return `${row}\n`;
}

/** One record's row through its flattened copy: parents, child results, extra fields. */
function generalRow(
  record: Record<string, unknown>,
  names: readonly string[],
  extraFields: 'error' | 'ignore',
  index: number,
  sep: Separator,
): string {
  const flat = flattenRecord(record);
  let row = '';
  let matched = 0;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (i > 0) row += sep.delimiter;
    const present = Object.hasOwn(flat, name);
    if (present) matched += 1;
    const value = present ? flat[name] : undefined;
    // Only a top-level null means "set to null"; a null inside a parent stays an empty cell.
    row += value === null && Object.hasOwn(record, name) && record[name] === null ? '#N/A' : cell(value, sep);
  }
  if (extraFields === 'error' && matched < Object.keys(flat).length) {
    const extra = fieldOutside(flat, names);
    if (extra !== undefined) {
      throw bulkError(
        `record ${index} has field "${extra}", which is not among the columns taken from the first record ` +
          `(${names.join(', ')})${outsideHint(extra, names)}; pass \`columns\` listing every field to load`,
        { code: 'INVALID_ARGUMENT' },
      );
    }
  }
  return `${row}\n`;
}

/**
 * @internal The records as CSV (LF line endings, a header row first): columns are `columns` or
 * the first record's flattened names; a top-level `null` is written `#N/A` (Bulk CSV's null).
 * A later record with a field no column holds is an INVALID_ARGUMENT error when `extraFields`
 * is `'error'` (the default when the columns come from the first record): dropping it would
 * lose the value without a word. Cells are separated by `delimiter` (the job's columnDelimiter).
 */
export async function* recordsToCsv(
  records: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>,
  columns: readonly string[] | undefined,
  extraFields: 'error' | 'ignore' = columns === undefined ? 'error' : 'ignore',
  delimiter = ',',
): AsyncGenerator<Uint8Array> {
  const sep = separatorOf(delimiter);
  let names = columns === undefined ? undefined : [...columns];
  let text = names === undefined ? '' : line(names, sep);
  let index = 0;
  // Columns without dots read a flat record directly: one pass over the columns, no flattened
  // copy. A record with an object value (a parent, a child result) takes the general path.
  let plain = names?.every((n) => !n.includes('.')) ?? false;
  for await (const record of records) {
    index += 1;
    if (names === undefined) {
      const flat = flattenRecord(record);
      names = Object.keys(flat).filter((key) => !isChildResult(flat[key]));
      plain = names.every((n) => !n.includes('.'));
      text += line(names, sep);
    }
    const row = plain ? plainRow(record, names, extraFields, sep) : undefined;
    text += row ?? generalRow(record, names, extraFields, index, sep);
    if (text.length >= CHUNK) {
      yield Buffer.from(text, 'utf8');
      text = '';
    }
  }
  if (text !== '') yield Buffer.from(text, 'utf8');
}
