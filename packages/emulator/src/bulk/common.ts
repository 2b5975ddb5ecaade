// What Bulk API 1.0 and 2.0 share in the emulator: tunable limits and pacing, applying one CSV
// row to the store (so both APIs validate exactly as REST does), and writing CSV quickly.

import type { OrgStore } from '../store.js';
import { StoreError } from '../store-error.js';
import type { ExternalIdIndex } from './external-id-index.js';

/**
 * Limits and pacing of the emulator's Bulk APIs. Read and change them through
 * {@link bulkSettings}: tests shrink the limits and slow processing down to observe states.
 */
export interface BulkSettings {
  /** Bulk 2.0: largest upload, measured as Salesforce does (after base64 encoding). 150 MB. */
  ingestUploadLimitBytes: number;
  /** Records processed per timer tick, for both APIs. 2,000. */
  rowsPerTick: number;
  /** Delay between ticks (and before a job starts), in ms. 0. */
  tickMs: number;
  /** While true, queued work waits (jobs stay UploadComplete, batches Queued). */
  paused: boolean;
  /** Bulk 2.0 query: records per results page when the client names no maxRecords. 50,000. */
  queryPageSize: number;
  /** Bulk 1.0: most records in one batch. 10,000. */
  batchRecordLimit: number;
  /** Bulk 1.0: largest batch body in bytes. 10 MB. */
  batchByteLimit: number;
  /** Bulk 1.0: most characters (UTF-16 code units) in a batch body. 10,000,000. */
  batchCharLimit: number;
  /** Bulk 1.0: most characters in one field's value. 32,000. */
  fieldCharLimit: number;
  /** Bulk 1.0: most characters in all of one record's field values. 400,000. */
  recordCharLimit: number;
  /** Bulk 1.0: most fields in one record. 5,000. */
  recordFieldLimit: number;
  /** Bulk 1.0 query: records per result file. 100,000. */
  queryResultChunk: number;
}

const DEFAULTS: BulkSettings = {
  ingestUploadLimitBytes: 150 * 1024 * 1024,
  rowsPerTick: 2000,
  tickMs: 0,
  paused: false,
  queryPageSize: 50_000,
  batchRecordLimit: 10_000,
  batchByteLimit: 10 * 1024 * 1024,
  batchCharLimit: 10_000_000,
  fieldCharLimit: 32_000,
  recordCharLimit: 400_000,
  recordFieldLimit: 5_000,
  queryResultChunk: 100_000,
};

const settingsByStore = new WeakMap<OrgStore, BulkSettings>();
const waiters = new WeakMap<BulkSettings, Set<() => void>>();

/**
 * The Bulk settings of an emulator, by its store: `bulkSettings(emu.store).paused = true`.
 * Changing `paused` back to false resumes waiting work.
 */
export function bulkSettings(store: OrgStore): BulkSettings {
  let settings = settingsByStore.get(store);
  if (!settings) {
    const state = { ...DEFAULTS };
    const set = new Set<() => void>();
    settings = new Proxy(state, {
      set(target, key, value) {
        (target as unknown as Record<string | symbol, unknown>)[key] = value;
        if (key === 'paused' && value === false) {
          const pending = [...set];
          set.clear();
          for (const resume of pending) resume();
        }
        return true;
      },
    });
    waiters.set(settings, set);
    settingsByStore.set(store, settings);
  }
  return settings;
}

/** Runs `fn` after the configured tick delay, once the settings are not paused. */
export function schedule(settings: BulkSettings, fn: () => void): void {
  const run = () => {
    if (settings.paused) {
      waiters.get(settings)?.add(run);
      return;
    }
    setTimeout(fn, settings.tickMs).unref();
  };
  run();
}

export type BulkOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
export const OPERATIONS: readonly BulkOperation[] = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];

export interface RowOutcome {
  id: string;
  created: boolean;
}

/** `REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --`, Salesforce's Bulk form. */
export function bulkErrorText(error: unknown): string {
  if (error instanceof StoreError) return `${error.errorCode}:${error.message}:${error.fields.join(',')} --`;
  return `UNKNOWN_EXCEPTION:${error instanceof Error ? error.message : String(error)}: --`;
}

/**
 * Values of one CSV row for the store. An empty cell leaves the field alone (unset on insert,
 * unchanged on update); `#N/A` sets it to null, as in Salesforce's Bulk CSV.
 */
function fieldsOf(row: Record<string, string>, skip: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key.toLowerCase() === skip || value === '') continue;
    out[key] = value === '#N/A' ? null : value;
  }
  return out;
}

function idOf(row: Record<string, string>): string {
  for (const [key, value] of Object.entries(row))
    if (key.toLowerCase() === 'id' && value !== '') return value;
  throw new StoreError('MISSING_ARGUMENT', 'Id not specified in an update call', { fields: ['Id'] });
}

/** Applies one row; throws StoreError for the row's failure. */
export function applyRow(
  store: OrgStore,
  objectName: string,
  operation: BulkOperation,
  row: Record<string, string>,
  options: {
    externalIdField?: string | undefined;
    userId: string;
    /** For upsert: the object's rows by the external id field, instead of a scan of every row. */
    index?: ExternalIdIndex | undefined;
  },
): RowOutcome {
  const write = { userId: options.userId };
  switch (operation) {
    case 'insert':
      return { id: store.insert(objectName, fieldsOf(row, ''), write), created: true };
    case 'update': {
      const id = idOf(row);
      store.update(objectName, id, fieldsOf(row, 'id'), write);
      return { id: store.get(objectName, id)?.Id as string, created: false };
    }
    case 'delete':
    case 'hardDelete': {
      const id = idOf(row);
      store.delete(objectName, id, write);
      return { id: store.get(objectName, id, { includeDeleted: true })?.Id as string, created: false };
    }
    case 'upsert': {
      const ext = options.externalIdField ?? 'Id';
      const key = Object.keys(row).find((k) => k.toLowerCase() === ext.toLowerCase());
      const value = key === undefined ? '' : (row[key] ?? '');
      if (value === '') {
        throw new StoreError('MISSING_ARGUMENT', `${ext} not specified`, { fields: [ext] });
      }
      const field = store.field(objectName, ext)?.name ?? ext;
      const { index } = options;
      let matches: string[];
      if (index !== undefined && index.field === field) {
        matches = index.ids(value);
      } else {
        matches = [];
        for (const existing of store.rows(objectName)) {
          const v = existing[field];
          if (v !== null && v !== undefined && String(v).toLowerCase() === value.toLowerCase()) {
            matches.push(existing.Id as string);
          }
        }
      }
      if (matches.length > 1) {
        throw new StoreError(
          'DUPLICATE_EXTERNAL_ID',
          `${ext}: more than one record found for external id field: [${matches.join(', ')}]`,
          { fields: [field] },
        );
      }
      if (matches.length === 1) {
        const id = matches[0] as string;
        store.update(objectName, id, fieldsOf(row, field.toLowerCase() === 'id' ? 'id' : ''), write);
        return { id, created: false };
      }
      return { id: store.insert(objectName, fieldsOf(row, 'id'), write), created: true };
    }
  }
}

/** The column names of a row that name no field of the object (for the job-level failure). */
export function unknownColumns(store: OrgStore, objectName: string, columns: readonly string[]): string[] {
  return columns.filter((c) => !c.includes('.') && store.field(objectName, c) === undefined);
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell, quoted only when it must be (or always with `quoteAll`). */
export function csvCell(value: unknown, delimiter = ',', quoteAll = false): string {
  if (value === null || value === undefined) return quoteAll ? '""' : '';
  const text = typeof value === 'string' ? value : String(value);
  if (quoteAll || NEEDS_QUOTES.test(text) || (delimiter !== ',' && text.includes(delimiter))) {
    return `"${text.replaceAll('"', '""')}"`;
  }
  return text;
}

export function csvLine(
  values: readonly unknown[],
  delimiter = ',',
  lineEnding = '\n',
  quoteAll = false,
): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += delimiter;
    out += csvCell(values[i], delimiter, quoteAll);
  }
  return out + lineEnding;
}

/** Salesforce's Bulk 2.0 `columnDelimiter` names. */
export const DELIMITERS: Record<string, string> = {
  COMMA: ',',
  TAB: '\t',
  SEMICOLON: ';',
  PIPE: '|',
  CARET: '^',
  BACKQUOTE: '`',
};

/** The select list of a SOQL query, as written (bulk queries have no subqueries). */
export function selectColumns(soql: string): string[] {
  const match = /^\s*select\s+([\s\S]+?)\s+from\s+/i.exec(soql);
  if (!match) return [];
  return (match[1] as string)
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

/** The value at a dotted path of a shaped record, matching keys case-insensitively. */
export function valueAt(record: Record<string, unknown>, path: string): unknown {
  let current: unknown = record;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return null;
    const obj = current as Record<string, unknown>;
    if (part in obj) {
      current = obj[part];
      continue;
    }
    const lower = part.toLowerCase();
    const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
    current = key === undefined ? null : obj[key];
  }
  return current ?? null;
}

/** Whether a query can stream matched rows lazily: no ORDER BY, LIMIT, OFFSET, GROUP BY, aggregates. */
export function isPlainQuery(soql: string): boolean {
  return !/\b(order\s+by|limit|offset|group\s+by)\b|\b(count|sum|avg|min|max)\s*\(|\(\s*select\b/i.test(soql);
}
