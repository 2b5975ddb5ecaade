// Query cursors behind nextRecordsUrl. A cursor keeps references to the matched rows (not
// shaped records) and shapes one page at a time, so a query over a million rows holds a million
// references, not a million result objects. Cursors expire after a period of inactivity, as
// Salesforce's query locators do (15 minutes).

import { randomBytes } from 'node:crypto';

type Row = Readonly<Record<string, unknown>>;

/** What a cursor pages through: rows shaped on demand, or records already shaped. */
export type CursorSource =
  | { kind: 'rows'; rows: readonly Row[]; shape: (row: Row) => Record<string, unknown> }
  | { kind: 'records'; records: readonly Record<string, unknown>[] };

export interface QueryCursor {
  readonly id: string;
  /** `query` or `queryAll`: the resource nextRecordsUrl points back to. */
  readonly resource: 'query' | 'queryAll';
  readonly source: CursorSource;
  readonly totalSize: number;
  readonly batchSize: number;
  lastUsed: number;
}

export interface CursorStoreOptions {
  /** Inactivity after which a cursor is gone (INVALID_QUERY_LOCATOR). Default 15 minutes. */
  ttlMs?: number;
  /** Open cursors kept at most; the least recently used go first. Default 10,000. */
  maxCursors?: number;
  /** The clock, for tests. */
  now?: () => number;
}

const ID_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `01g` (Salesforce's query locator key prefix) and 15 more characters. */
function cursorId(): string {
  const bytes = randomBytes(15);
  let out = '01g';
  for (const b of bytes) out += ID_CHARS[b % ID_CHARS.length];
  return out;
}

/** Open query cursors, by id. */
export class CursorStore {
  readonly #cursors = new Map<string, QueryCursor>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: CursorStoreOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 15 * 60 * 1000;
    this.#max = options.maxCursors ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#cursors.size;
  }

  open(
    resource: 'query' | 'queryAll',
    source: CursorSource,
    totalSize: number,
    batchSize: number,
  ): QueryCursor {
    this.sweep();
    while (this.#cursors.size >= this.#max) {
      const oldest = this.#cursors.keys().next().value;
      if (oldest === undefined) break;
      this.#cursors.delete(oldest);
    }
    const cursor: QueryCursor = {
      id: cursorId(),
      resource,
      source,
      totalSize,
      batchSize,
      lastUsed: this.#now(),
    };
    this.#cursors.set(cursor.id, cursor);
    return cursor;
  }

  /** The live cursor, its inactivity clock restarted; undefined when unknown or expired. */
  take(id: string): QueryCursor | undefined {
    const cursor = this.#cursors.get(id);
    if (!cursor) return undefined;
    if (this.#now() - cursor.lastUsed > this.#ttlMs) {
      this.#cursors.delete(id);
      return undefined;
    }
    cursor.lastUsed = this.#now();
    // Re-insert so the map stays in least-recently-used order.
    this.#cursors.delete(id);
    this.#cursors.set(id, cursor);
    return cursor;
  }

  close(id: string): void {
    this.#cursors.delete(id);
  }

  /** Forgets every cursor (a test's way to expire them all at once). */
  clear(): void {
    this.#cursors.clear();
  }

  /** Drops expired cursors. */
  sweep(): void {
    const now = this.#now();
    for (const [id, cursor] of this.#cursors) {
      if (now - cursor.lastUsed > this.#ttlMs) this.#cursors.delete(id);
    }
  }
}
