// The live rows of one object by the value of its external id field, for a Bulk upsert: built
// once from the store and kept current through the store's change events, so that each upserted
// row finds its match in one lookup rather than a scan of every stored row.

import type { OrgStore, RecordChange } from '../store.js';

/** Values match case-insensitively, as the emulator's upsert always has. */
function keyOf(value: unknown): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : String(value).toLowerCase();
}

/**
 * Ids of the live rows of `objectName` by `fieldName`'s value (the field named in any case),
 * current as long as it is open (every committed insert, update, delete and undelete reaches
 * it). Close it when the job is done.
 *
 * @example
 * const index = new ExternalIdIndex(store, 'Item__c', 'Code__c');
 * index.ids('A-1'); // ['a00...']
 * index.close();
 */
export class ExternalIdIndex {
  readonly objectName: string;
  readonly field: string;
  readonly #byKey = new Map<string, Set<string>>();
  readonly #keyById = new Map<string, string>();
  readonly #stop: () => void;

  constructor(store: OrgStore, objectName: string, fieldName: string) {
    this.objectName = objectName;
    // Field names are case-insensitive: rows are keyed by the canonical name (`Code__c` for
    // `code__c`), and applyRow uses the index only for that name.
    const field = store.field(objectName, fieldName)?.name ?? fieldName;
    this.field = field;
    for (const row of store.rows(objectName)) this.#add(row.Id as string, row[field]);
    const lower = objectName.toLowerCase();
    this.#stop = store.onChange((change: RecordChange) => {
      if (change.objectName.toLowerCase() !== lower) return;
      this.#remove(change.id);
      if (change.type !== 'deleted') this.#add(change.id, change.row[field]);
    });
  }

  /** The ids of the live rows whose field equals `value` (case-insensitively). */
  ids(value: string): string[] {
    const key = keyOf(value);
    const set = key === undefined ? undefined : this.#byKey.get(key);
    return set ? [...set] : [];
  }

  close(): void {
    this.#stop();
    this.#byKey.clear();
    this.#keyById.clear();
  }

  #add(id: string, value: unknown): void {
    const key = keyOf(value);
    if (key === undefined) return;
    let set = this.#byKey.get(key);
    if (!set) this.#byKey.set(key, (set = new Set()));
    set.add(id);
    this.#keyById.set(id, key);
  }

  #remove(id: string): void {
    const key = this.#keyById.get(id);
    if (key === undefined) return;
    this.#keyById.delete(id);
    const set = this.#byKey.get(key);
    set?.delete(id);
    if (set?.size === 0) this.#byKey.delete(key);
  }
}
