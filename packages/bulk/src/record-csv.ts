// Records as CSV bytes for an upload, written in 64 KB chunks: one string append per row, one
// await per record only when the source is async. Same rules as @sf/record-stream's toCSV, which
// costs several stream hops per record; an upload has no use for record-level backpressure.
import { flattenRecord, formatCell } from '@sf/record-stream';
import { bulkError } from './errors.js';

const CHUNK = 64 * 1024;
const NEEDS_QUOTES = /[",\r\n]/;

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
function cell(value: unknown): string {
  // Numbers and booleans never need quotes: the hot path skips the test.
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return quoted(formatCell(value));
}

function quoted(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function line(cells: readonly string[]): string {
  return `${cells.map(quoted).join(',')}\n`;
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
 * @internal The records as CSV (LF line endings, a header row first): columns are `columns` or
 * the first record's flattened names; a top-level `null` is written `#N/A` (Bulk CSV's null).
 * A later record with a field no column holds is an INVALID_ARGUMENT error when `extraFields`
 * is `'error'` (the default when the columns come from the first record): dropping it would
 * lose the value without a word.
 */
export async function* recordsToCsv(
  records: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>,
  columns: readonly string[] | undefined,
  extraFields: 'error' | 'ignore' = columns === undefined ? 'error' : 'ignore',
): AsyncGenerator<Uint8Array> {
  let names = columns === undefined ? undefined : [...columns];
  let text = names === undefined ? '' : line(names);
  let index = 0;
  for await (const record of records) {
    index += 1;
    const flat = flattenRecord(record);
    if (names === undefined) {
      names = Object.keys(flat).filter((key) => !isChildResult(flat[key]));
      text += line(names);
    }
    let matched = 0;
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      if (i > 0) text += ',';
      const present = Object.hasOwn(flat, name);
      if (present) matched += 1;
      const value = present ? flat[name] : undefined;
      // Only a top-level null means "set to null"; a null inside a parent stays an empty cell.
      text += value === null && Object.hasOwn(record, name) && record[name] === null ? '#N/A' : cell(value);
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
    text += '\n';
    if (text.length >= CHUNK) {
      yield Buffer.from(text, 'utf8');
      text = '';
    }
  }
  if (text !== '') yield Buffer.from(text, 'utf8');
}
