// The org's data: object definitions and rows, in memory. Every write path (REST, and later
// collections, Bulk and composite) goes through insert/update/delete here, so validation and
// system fields behave the same whichever API wrote the row.

import type { FieldDescribe, SObjectDescribe, SoqlDataSource } from './describe-types.js';
import { coerceFieldValue, formatDateTime } from './field-values.js';
import { customKeyPrefix, IdFactory, keyPrefixOf, normalizeId } from './ids.js';
import { type CustomObjectDefinition, customObjectDefinition } from './metadata/custom-objects.js';
import { applyDerivedFields, applyInsertDefaults } from './metadata/derived-fields.js';
import type { ObjectDefinition } from './metadata/object-definition.js';
import { standardObjects } from './metadata/standard-objects.js';
import { StoreError } from './store-error.js';

/** A stored record: field API name → value, every field present (null when unset). */
export type Row = Record<string, unknown>;

/** Who performs a write, and whether org rules about read-only fields apply. */
export interface WriteOptions {
  /** Recorded as CreatedById/LastModifiedById (and default OwnerId); the org's admin by default. */
  userId?: string;
  /**
   * Write as the system: read-only fields (CreatedDate, BodyLength...) may be set and objects
   * that the API cannot create (Organization) accept rows. For seeding test data.
   */
  asSystem?: boolean;
}

/** One committed change, for listeners such as PushTopic streaming. */
export interface RecordChange {
  type: 'created' | 'updated' | 'deleted' | 'undeleted';
  objectName: string;
  id: string;
  row: Readonly<Row>;
  /** Fields the write set (for `updated`: what the caller sent, system fields excluded). */
  changedFields: string[];
}

export interface OrgStoreOptions {
  apiVersion?: string;
  customObjects?: CustomObjectDefinition[];
  /** The 2-character pod part of minted ids. */
  pod?: string;
  /** The built-in objects, instead of the org's standard ones (the Tooling API's store has its own). */
  standardObjects?: (apiVersion: string) => ObjectDefinition[];
}

interface ObjectEntry {
  definition: ObjectDefinition;
  fieldsByLowerName: Map<string, FieldDescribe>;
  rows: Map<string, Row>;
  definedAt: Date;
}

function notFound(): StoreError {
  return new StoreError('NOT_FOUND', 'The requested resource does not exist', { status: 404 });
}

function entityIsDeleted(): StoreError {
  return new StoreError('ENTITY_IS_DELETED', 'entity is deleted', { status: 404 });
}

/** Drops milliseconds: HTTP dates (If-Modified-Since) have one-second precision. */
function wholeSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/**
 * The in-memory org. Implements {@link SoqlDataSource} so the SOQL engine reads it directly.
 *
 * @example
 * const id = emu.store.insert('Account', { Name: 'Acme' });
 * emu.store.update('Account', id, { Industry: 'Energy' });
 */
export class OrgStore implements SoqlDataSource {
  readonly orgId: string;
  readonly apiVersion: string;
  /** CreatedById/LastModifiedById when a write names no user; the emulator sets its admin here. */
  defaultUserId: string;
  readonly #ids: IdFactory;
  readonly #objects = new Map<string, ObjectEntry>();
  readonly #byPrefix = new Map<string, ObjectEntry>();
  readonly #listeners = new Set<(change: RecordChange) => void>();
  #customCount = 0;
  #journal: { undo: (() => void)[]; changes: RecordChange[]; rolledBack: boolean } | undefined;
  #sequence = 0;

  constructor(options: OrgStoreOptions = {}) {
    this.apiVersion = options.apiVersion ?? '64.0';
    this.#ids = new IdFactory(options.pod);
    this.orgId = this.#ids.next('00D');
    this.defaultUserId = this.#ids.next('005');
    for (const def of (options.standardObjects ?? standardObjects)(this.apiVersion)) this.#register(def);
    for (const def of options.customObjects ?? []) this.defineObject(def);
    this.#linkChildRelationships();
  }

  // ---- metadata ----

  /** Declares (or redeclares) a custom object; rows of a redeclared object are kept. */
  defineObject(def: CustomObjectDefinition): SObjectDescribe {
    const existing = this.#objects.get(def.name.toLowerCase());
    const prefix = existing?.definition.describe.keyPrefix ?? customKeyPrefix(this.#customCount++);
    const definition = customObjectDefinition(def, prefix, this.apiVersion);
    const entry = this.#register(definition, existing?.rows);
    this.#linkChildRelationships();
    if (existing) {
      // Fields added by the redeclaration start out null on existing rows.
      for (const row of entry.rows.values()) {
        for (const f of definition.describe.fields) if (!(f.name in row)) row[f.name] = null;
      }
    }
    return definition.describe;
  }

  describe(objectName: string): SObjectDescribe | undefined {
    return this.#objects.get(objectName.toLowerCase())?.definition.describe;
  }

  /** Every object's describe, in definition order (standard objects first). */
  describeAll(): SObjectDescribe[] {
    return [...this.#objects.values()].map((e) => e.definition.describe);
  }

  /** When an object's metadata last changed, to the second (for If-Modified-Since). */
  definedAt(objectName: string): Date | undefined {
    return this.#objects.get(objectName.toLowerCase())?.definedAt;
  }

  /** The field of an object whose name matches case-insensitively. */
  field(objectName: string, fieldName: string): FieldDescribe | undefined {
    return this.#objects.get(objectName.toLowerCase())?.fieldsByLowerName.get(fieldName.toLowerCase());
  }

  /** The object an id belongs to, by its key prefix. */
  objectNameOfId(id: string): string | undefined {
    return this.#byPrefix.get(keyPrefixOf(id))?.definition.describe.name;
  }

  // ---- reads ----

  rows(
    objectName: string,
    options: { includeDeleted: boolean } = { includeDeleted: false },
  ): Iterable<Readonly<Row>> {
    const entry = this.#objects.get(objectName.toLowerCase());
    if (!entry) return [];
    const all = entry.rows.values();
    if (options.includeDeleted) return all;
    return (function* () {
      for (const row of all) if (row.IsDeleted !== true) yield row;
    })();
  }

  findById(id: string): { objectName: string; row: Readonly<Row> } | undefined {
    const id18 = normalizeId(id);
    if (!id18) return undefined;
    const entry = this.#byPrefix.get(keyPrefixOf(id18));
    const row = entry?.rows.get(id18);
    return entry && row ? { objectName: entry.definition.describe.name, row } : undefined;
  }

  /** A copy of a live row (or a deleted one with `includeDeleted`); undefined when there is none. */
  get(objectName: string, id: string, options: { includeDeleted?: boolean } = {}): Row | undefined {
    const entry = this.#objects.get(objectName.toLowerCase());
    const id18 = normalizeId(id);
    const row = id18 ? entry?.rows.get(id18) : undefined;
    if (!row || (row.IsDeleted === true && !options.includeDeleted)) return undefined;
    return { ...row };
  }

  // ---- writes ----

  /** Inserts a row and returns its 18-character id; throws {@link StoreError} as Salesforce would. */
  insert(objectName: string, fields: Record<string, unknown>, options: WriteOptions = {}): string {
    const entry = this.#entry(objectName);
    const d = entry.definition.describe;
    if (!d.createable && !options.asSystem) {
      throw new StoreError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be inserted: ${d.name}`);
    }
    const values = this.#checkValues(entry, fields, 'create', options);
    let missing: FieldDescribe[] | undefined;
    for (const f of d.fields) {
      if (!f.nillable && f.createable && !f.defaultedOnCreate && (values.get(f.name) ?? null) === null) {
        (missing ??= []).push(f);
      }
    }
    if (missing) throw requiredMissing(missing.map((f) => f.name));

    // Seeding may fix the id (the org's admin user, the Organization row); the API never can.
    const requested = values.get('Id');
    const id = typeof requested === 'string' ? requested : this.#ids.next(d.keyPrefix ?? '000');
    if (entry.rows.has(id))
      throw new StoreError(
        'DUPLICATE_VALUE',
        `duplicate value found: Id duplicates value on record with id: ${id}`,
        { fields: ['Id'] },
      );
    const now = nowText();
    const userId = options.userId ?? this.defaultUserId;
    const row: Row = blankRow(d.fields);
    values.forEach((value, name) => {
      row[name] = value;
    });
    row.Id = id;
    row.IsDeleted = false;
    row.CreatedDate ??= now;
    row.LastModifiedDate ??= now;
    row.SystemModstamp ??= now;
    row.CreatedById ??= userId;
    row.LastModifiedById ??= userId;
    if ('OwnerId' in row) row.OwnerId ??= userId;
    if (d.name === 'Document') row.AuthorId ??= userId;
    applyInsertDefaults(d, row, ++this.#sequence);
    applyDerivedFields(d, row);
    this.#checkUnique(entry, row);
    entry.rows.set(id, row);
    this.#journal?.undo.push(() => entry.rows.delete(id));
    this.#emit({ type: 'created', objectName: d.name, id, row, changedFields: [...values.keys()] });
    return id;
  }

  update(objectName: string, id: string, fields: Record<string, unknown>, options: WriteOptions = {}): void {
    const entry = this.#entry(objectName);
    const row = this.#liveRow(entry, id);
    const d = entry.definition.describe;
    const values = this.#checkValues(entry, fields, 'update', options);
    const cleared = [...values].filter(
      ([name, v]) => v === null && !entry.fieldsByLowerName.get(name.toLowerCase())?.nillable,
    );
    if (cleared.length > 0) throw requiredMissing(cleared.map(([name]) => name));
    const next: Row = { ...row };
    for (const [name, value] of values) next[name] = value;
    next.LastModifiedDate = values.get('LastModifiedDate') ?? formatDateTime(new Date());
    next.SystemModstamp = values.get('SystemModstamp') ?? next.LastModifiedDate;
    next.LastModifiedById = options.userId ?? this.defaultUserId;
    if (d.custom && next.Name == null) next.Name = next.Id;
    applyDerivedFields(d, next);
    this.#checkUnique(entry, next);
    this.#remember(row);
    Object.assign(row, next);
    this.#emit({
      type: 'updated',
      objectName: d.name,
      id: row.Id as string,
      row,
      changedFields: [...values.keys()],
    });
  }

  /** Soft delete: the row stays, with IsDeleted true, visible only to queryAll and undelete. */
  delete(objectName: string, id: string, options: WriteOptions = {}): void {
    const entry = this.#entry(objectName);
    const d = entry.definition.describe;
    if (!d.deletable && !options.asSystem) {
      throw new StoreError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be deleted: ${d.name}`);
    }
    const row = this.#liveRow(entry, id);
    this.#remember(row);
    this.#touch(row, options);
    row.IsDeleted = true;
    this.#emit({ type: 'deleted', objectName: d.name, id: row.Id as string, row, changedFields: [] });
  }

  undelete(objectName: string, id: string, options: WriteOptions = {}): void {
    const entry = this.#entry(objectName);
    const row = this.#row(entry, id);
    if (row.IsDeleted !== true) {
      throw new StoreError('UNDELETE_FAILED', 'Entity is not in the recycle bin', { fields: [] });
    }
    this.#checkUnique(entry, row);
    this.#remember(row);
    this.#touch(row, options);
    row.IsDeleted = false;
    const name = entry.definition.describe.name;
    this.#emit({ type: 'undeleted', objectName: name, id: row.Id as string, row, changedFields: [] });
  }

  /**
   * Runs `fn` as one unit of work (sObject Collections and composite with allOrNone): when it
   * throws or calls `rollback()`, every row it inserted, updated or deleted is put back and no
   * change is announced. `fn` must be synchronous; a nested call joins the outer unit (its
   * rollback rolls the outer unit back).
   */
  transaction<T>(fn: (tx: { rollback(): void }) => T): T {
    const outer = this.#journal;
    if (outer) {
      return fn({
        rollback: () => {
          outer.rolledBack = true;
        },
      });
    }
    const journal = { undo: [] as (() => void)[], changes: [] as RecordChange[], rolledBack: false };
    this.#journal = journal;
    const undo = () => {
      for (const step of journal.undo.reverse()) step();
    };
    try {
      const result = fn({
        rollback: () => {
          journal.rolledBack = true;
        },
      });
      this.#journal = undefined;
      if (journal.rolledBack) undo();
      else for (const change of journal.changes) this.#emit(change);
      return result;
    } catch (error) {
      this.#journal = undefined;
      undo();
      throw error;
    }
  }

  /** Subscribes to committed changes; returns the unsubscribe function. */
  onChange(listener: (change: RecordChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ---- internals ----

  #register(definition: ObjectDefinition, rows = new Map<string, Row>()): ObjectEntry {
    const d = definition.describe;
    const entry: ObjectEntry = {
      definition,
      fieldsByLowerName: new Map(d.fields.map((f) => [f.name.toLowerCase(), f])),
      rows,
      definedAt: wholeSecond(new Date()),
    };
    this.#objects.set(d.name.toLowerCase(), entry);
    if (d.keyPrefix) this.#byPrefix.set(d.keyPrefix, entry);
    return entry;
  }

  /** Rebuilds every parent's childRelationships from the lookups that point at it. */
  #linkChildRelationships(): void {
    const children = new Map<string, SObjectDescribe['childRelationships']>();
    for (const { definition } of this.#objects.values()) {
      for (const f of definition.describe.fields) {
        if (f.type !== 'reference' || ['CreatedById', 'LastModifiedById'].includes(f.name)) continue;
        for (const target of f.referenceTo) {
          const list = children.get(target.toLowerCase()) ?? [];
          list.push({
            childSObject: definition.describe.name,
            field: f.name,
            relationshipName: definition.childRelationshipNames[f.name] ?? null,
            cascadeDelete: false,
          });
          children.set(target.toLowerCase(), list);
        }
      }
    }
    for (const [key, entry] of this.#objects) {
      const next = children.get(key) ?? [];
      const d = entry.definition.describe;
      if (JSON.stringify(next) !== JSON.stringify(d.childRelationships)) {
        d.childRelationships = next;
        entry.definedAt = wholeSecond(new Date());
      }
    }
  }

  #entry(objectName: string): ObjectEntry {
    const entry = this.#objects.get(objectName.toLowerCase());
    if (!entry) throw notFound();
    return entry;
  }

  #row(entry: ObjectEntry, id: string): Row {
    const d = entry.definition.describe;
    const id18 = normalizeId(id);
    if (!id18) {
      throw new StoreError('MALFORMED_ID', `${d.label} ID: id value of incorrect type: ${id}`, {
        fields: ['Id'],
      });
    }
    const row = entry.rows.get(id18);
    if (!row) throw notFound();
    return row;
  }

  #liveRow(entry: ObjectEntry, id: string): Row {
    const row = this.#row(entry, id);
    if (row.IsDeleted === true) throw entityIsDeleted();
    return row;
  }

  #touch(row: Row, options: WriteOptions): void {
    const now = formatDateTime(new Date());
    row.LastModifiedDate = now;
    row.SystemModstamp = now;
    row.LastModifiedById = options.userId ?? this.defaultUserId;
  }

  /** Maps the caller's field names to exact API names and checks each value. */
  #checkValues(
    entry: ObjectEntry,
    fields: Record<string, unknown>,
    mode: 'create' | 'update',
    options: WriteOptions,
  ): Map<string, unknown> {
    const d = entry.definition.describe;
    const resolved: [FieldDescribe, unknown][] = [];
    for (const [key, value] of Object.entries(fields)) {
      // Clients send back the attributes of a record they read; Salesforce ignores them.
      if (key === 'attributes') continue;
      const f = entry.fieldsByLowerName.get(key.toLowerCase());
      if (!f) throw new StoreError('INVALID_FIELD', `No such column '${key}' on sobject of type ${d.name}`);
      // On update the record id may travel in the body (records read back, then edited).
      if (f.name === 'Id' && mode === 'update') continue;
      resolved.push([f, value]);
    }
    if (!options.asSystem) {
      const idField = resolved.find(([f]) => f.name === 'Id');
      if (idField) {
        throw new StoreError(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          'Record ID: cannot specify Id in an insert call',
          {
            fields: ['Id'],
          },
        );
      }
      const denied = resolved
        .filter(([f]) => !(mode === 'create' ? f.createable : f.updateable))
        .map(([f]) => f.name);
      if (denied.length > 0) {
        throw new StoreError(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${denied.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          { fields: denied },
        );
      }
    }
    const out = new Map<string, unknown>();
    for (const [f, raw] of resolved) {
      const value = coerceFieldValue(f, raw);
      if (f.type === 'reference' && typeof value === 'string') this.#checkReference(f, value);
      out.set(f.name, value);
    }
    return out;
  }

  #checkReference(f: FieldDescribe, id: string): void {
    const target = this.#byPrefix.get(keyPrefixOf(id));
    const targetName = target?.definition.describe.name;
    if (!target || !targetName || !f.referenceTo.includes(targetName)) {
      // A lookup to objects the emulator does not model (Group, Profile) cannot be checked.
      if (!target && f.referenceTo.some((t) => !this.#objects.has(t.toLowerCase()))) return;
      throw new StoreError('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${id}`, {
        fields: [f.name],
      });
    }
    const row = target.rows.get(id);
    if (!row) {
      throw new StoreError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', { fields: [f.name] });
    }
    if (row.IsDeleted === true)
      throw new StoreError('ENTITY_IS_DELETED', 'entity is deleted', { fields: [f.name] });
  }

  #checkUnique(entry: ObjectEntry, row: Row): void {
    for (const f of entry.definition.describe.fields) {
      if (!(f.unique || f.externalId) || f.type === 'id' || row[f.name] == null) continue;
      // External ids are unique only when declared so; Salesforce allows duplicates otherwise.
      if (!f.unique) continue;
      const value = String(row[f.name]).toLowerCase();
      for (const other of entry.rows.values()) {
        if (other.Id === row.Id || other.IsDeleted === true || other[f.name] == null) continue;
        if (String(other[f.name]).toLowerCase() === value) {
          throw new StoreError(
            'DUPLICATE_VALUE',
            `duplicate value found: ${f.name} duplicates value on record with id: ${String(other.Id)}`,
            { fields: [f.name] },
          );
        }
      }
    }
  }

  /** Inside a transaction, keeps a row's values so they can be put back. */
  #remember(row: Row): void {
    if (!this.#journal) return;
    const before = { ...row };
    this.#journal.undo.push(() => Object.assign(row, before));
  }

  #emit(change: RecordChange): void {
    if (this.#journal) {
      this.#journal.changes.push(change);
      return;
    }
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        // A listener's bug must not turn a committed write into a failed request.
        console.error('[@sf/emulator] change listener failed:', error);
      }
    }
  }
}

// A Bulk ingest inserts 200,000 rows in a few hundred milliseconds: a row starts as a copy of
// a blank one (one shape, no property added one by one), and "now" is formatted once a millisecond.
const blankRows = new WeakMap<readonly FieldDescribe[], { count: number; row: Row }>();
function blankRow(fields: readonly FieldDescribe[]): Row {
  let blank = blankRows.get(fields);
  if (blank === undefined || blank.count !== fields.length) {
    const row: Row = {};
    for (const f of fields) row[f.name] = null;
    blankRows.set(fields, (blank = { count: fields.length, row }));
  }
  return { ...blank.row };
}

let nowMs = -1;
let nowFormatted = '';
function nowText(): string {
  const ms = Date.now();
  if (ms !== nowMs) {
    nowMs = ms;
    nowFormatted = formatDateTime(new Date(ms));
  }
  return nowFormatted;
}

function requiredMissing(names: string[]): StoreError {
  return new StoreError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${names.join(', ')}]`, {
    fields: names,
  });
}
