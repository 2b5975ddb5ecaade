// `sobject(conn, 'Account')`: one type's records. One record goes through the sObject Rows
// resources; an array through sObject Collections, 200 records a request.

import { refuseOldArguments } from '@sf/core';
import { assertConnection } from '@sf/core';
import type { Connection } from '@sf/core';
import {
  type Conditions,
  type FieldList,
  type FindOptions,
  type FindQuery,
  find,
  query,
  renderConditions,
} from '@sf/query';
import {
  type BlobData,
  type BlobOptions,
  blobStream,
  openBlob,
  pipeBlob,
  type UploadOptions,
  uploadBlob,
} from './blob.js';
import { COLLECTION_LIMIT, inChunks, toSaveResult, type WireSaveResult } from './collections.js';
import { type DescribeOptions, type DescribeSObjectResult, describe } from './describe.js';
import { callOptions, SOURCE } from './errors.js';
import { refuseCallbacks, withBulkPointers } from './no-callback.js';
import {
  checkIds,
  createFields,
  idOfRecord,
  markSaved,
  OK,
  type RecordRef,
  saveMany,
  savedOne,
  toId,
  updateFields,
} from './record-writes.js';
import { checkApiName, checkRecordId } from './path-segments.js';
import {
  type BasicInfo,
  basicInfo,
  type DeletedResult,
  deleted,
  recent,
  type UpdatedResult,
  updated,
} from './rest-resources.js';
import { createRecord, type TrackedRecord, trackingOf, trackRecord } from './tracked-record.js';
import { upsertMany, upsertOne } from './upsert.js';
import type { CallOptions, CollectionOptions, SaveResult, SaveSuccess, SObjectRecord } from './types.js';

/** A record as read back: the fields asked for, plus `attributes`. */
export type Retrieved<T extends object> = T & { attributes: { type: string; url: string } };

/** Fields to write: any subset of the record type. */
export type RecordInput<T extends object> = Partial<T>;

export interface RetrieveOptions extends CallOptions {
  /** Fields to read; every field when not given (for many ids, every field of the describe). */
  fields?: readonly string[];
}

export type { RecordRef } from './record-writes.js';

/** One record by id: `sobject(conn, 'Account').record(id)`. */
export interface RecordHandle<T extends object> {
  readonly id: string;
  retrieve(options?: RetrieveOptions): Promise<Retrieved<T>>;
  update(fields: RecordInput<T>, options?: CallOptions): Promise<SaveSuccess>;
  destroy(options?: CallOptions): Promise<SaveSuccess>;
  /** The record's blob field, streamed (Attachment, Document, ContentVersion). */
  blob(options?: BlobOptions): Promise<AsyncIterable<Uint8Array>>;
}

/** The operations on one sObject type. See {@link sobject}. */
export interface SObject<T extends object = SObjectRecord> {
  readonly type: string;
  readonly connection: Connection;
  retrieve(id: string, options?: RetrieveOptions): Promise<Retrieved<T>>;
  /** Many ids through Collections (200 a request); `null` where an id matches no record. */
  retrieve(ids: readonly string[], options?: RetrieveOptions): Promise<(Retrieved<T> | null)[]>;
  create(record: RecordInput<T>, options?: CallOptions): Promise<SaveSuccess>;
  create(records: readonly RecordInput<T>[], options?: CollectionOptions): Promise<SaveResult[]>;
  update(record: RecordInput<T> & { Id?: string }, options?: CallOptions): Promise<SaveSuccess>;
  update(
    records: readonly (RecordInput<T> & { Id?: string })[],
    options?: CollectionOptions,
  ): Promise<SaveResult[]>;
  /**
   * Upsert by external id: no match inserts, one match updates, several matches reject with a
   * `MULTIPLE_MATCHES` error naming them (one record) or fail that record with
   * `DUPLICATE_EXTERNAL_ID` (arrays). `externalIdField` may be left out for tracked records that
   * had `setExternalId` called.
   */
  upsert(record: RecordInput<T>, externalIdField?: string, options?: CallOptions): Promise<SaveSuccess>;
  upsert(
    records: readonly RecordInput<T>[],
    externalIdField: string,
    options?: CollectionOptions,
  ): Promise<SaveResult[]>;
  /** Deletes by id, or by record (its `Id`, as nforce's `delete(sobject)`). */
  destroy(id: string | RecordRef, options?: CallOptions): Promise<SaveSuccess>;
  destroy(ids: readonly (string | RecordRef)[], options?: CollectionOptions): Promise<SaveResult[]>;
  /** Same as {@link SObject.destroy}. */
  del(id: string | RecordRef, options?: CallOptions): Promise<SaveSuccess>;
  del(ids: readonly (string | RecordRef)[], options?: CollectionOptions): Promise<SaveResult[]>;
  /** `GET /sobjects/{type}`: basic metadata and recent items (nforce's `getMetadata`). */
  basicInfo(options?: CallOptions): Promise<BasicInfo>;
  /** The type's describe, cached per connection (see {@link describe}). */
  describe(options?: DescribeOptions): Promise<DescribeSObjectResult>;
  /** @sf/query's builder on this type: chain `.sort()`, `.limit()`, `.skip()`, then await or iterate. */
  find(conditions?: Conditions, fields?: FieldList, options?: FindOptions): FindQuery<Retrieved<T>>;
  /** The first match, or undefined. */
  findOne(
    conditions?: Conditions,
    fields?: FieldList,
    options?: FindOptions,
  ): Promise<Retrieved<T> | undefined>;
  /** Every match as a change-tracking record. */
  findTracked(
    conditions?: Conditions,
    fields?: FieldList,
    options?: FindOptions,
  ): Promise<TrackedRecord<Retrieved<T>>[]>;
  /**
   * `SELECT COUNT() FROM type WHERE ...`. `sanitizeFilter` (default: the connection's) refuses
   * condition values that are objects with `$` keys unless `trusted(...)`, as in `find`.
   */
  count(conditions?: Conditions, options?: CallOptions & { sanitizeFilter?: boolean }): Promise<number>;
  record(id: string): RecordHandle<T>;
  /** A new change-tracking record of this type (nforce's `createSObject`). */
  createRecord(fields?: RecordInput<T>): TrackedRecord<T>;
  recent(options?: CallOptions & { limit?: number }): Promise<SObjectRecord[]>;
  updated(start: Date | string, end: Date | string, options?: CallOptions): Promise<UpdatedResult>;
  deleted(start: Date | string, end: Date | string, options?: CallOptions): Promise<DeletedResult>;
  /** A blob field's bytes, streamed. */
  openBlob(id: string, options?: BlobOptions): Promise<AsyncIterable<Uint8Array>>;
  /** A blob field as a readable stream to pipe. */
  blobStream(id: string, options?: BlobOptions): NodeJS.ReadableStream;
  /** Streams a blob field into a writable; resolves with the byte count. */
  pipeBlob(id: string, destination: NodeJS.WritableStream, options?: BlobOptions): Promise<number>;
  /** Creates a record with its blob by multipart upload (or replaces one's with `options.id`). */
  uploadBlob(fields: RecordInput<T>, data: BlobData, options?: UploadOptions): Promise<SaveSuccess>;
}

function checkType(type: string): string {
  return checkApiName(type, 'an sObject type name');
}

/** Rules for a method whose first argument holds records (or record refs, or conditions). */
const RECORD_FIRST = { data: [0] } as const;
/** Rules for a method whose conditions and field list come first. */
const CONDITIONS_AND_FIELDS = { data: [0, 1] } as const;

/**
 * The operations on one sObject type. Give a record type for typed results.
 *
 * @example
 * const Account = sobject<Account>(conn, 'Account');
 * const { id } = await Account.create({ Name: 'My Account #1' });
 * const results = await Account.create([{ Name: 'A' }, { Name: 'B' }]); // one request
 */
export function sobject<T extends object = SObjectRecord>(conn: Connection, type: string): SObject<T> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'sobject()', arguments);
  assertConnection(conn, SOURCE);
  checkType(type);
  const base = `sobjects/${type}`;

  const retrieveOne = async (id: string, options: RetrieveOptions = {}) =>
    conn.request<Retrieved<T>>({
      path: `${base}/${checkRecordId(id)}`,
      query: options.fields ? { fields: options.fields.join(',') } : {},
      ...callOptions(options),
    });

  const retrieveMany = async (ids: readonly string[], options: RetrieveOptions = {}) => {
    checkIds(ids);
    if (ids.length === 0) return [];
    const fields =
      options.fields ?? (await describe(conn, type, callOptions(options))).fields.map((f) => f.name);
    const out: (Retrieved<T> | null)[] = [];
    for (let start = 0; start < ids.length; start += COLLECTION_LIMIT) {
      const chunk = ids.slice(start, start + COLLECTION_LIMIT);
      const records = await conn.request<(Retrieved<T> | null)[]>({
        method: 'POST',
        path: `composite/sobjects/${type}`,
        body: { ids: chunk, fields },
        idempotent: true,
        ...callOptions(options),
      });
      out.push(...records);
    }
    return out;
  };

  const createOne = async (record: unknown, options: CallOptions = {}) => {
    const res = await conn.request<WireSaveResult>({
      method: 'POST',
      path: base,
      body: createFields(record),
      ...callOptions(options),
    });
    const result = savedOne(toSaveResult(res), 'create');
    markSaved([record], [result]);
    return result;
  };

  const createMany = async (records: readonly unknown[], options: CollectionOptions = {}) => {
    const bodies = records.map((r) => ({ attributes: { type }, ...createFields(r) }));
    return saveMany(
      conn,
      records,
      bodies,
      { method: 'POST', path: 'composite/sobjects' },
      options,
      () => null,
    );
  };

  const updateOne = async (record: unknown, options: CallOptions = {}) => {
    const id = idOfRecord(record);
    const fields = updateFields(record);
    // A tracked record with nothing changed needs no request.
    if (Object.keys(fields).length > 0 || !trackingOf(record)) {
      await conn.request({
        method: 'PATCH',
        path: `${base}/${id}`,
        body: fields,
        ...callOptions(options),
      });
    }
    markSaved([record], [OK(id)]);
    return OK(id);
  };

  const updateMany = async (records: readonly unknown[], options: CollectionOptions = {}) => {
    const bodies = records.map((r) => ({ attributes: { type }, ...updateFields(r), Id: idOfRecord(r) }));
    return saveMany(
      conn,
      records,
      bodies,
      { method: 'PATCH', path: 'composite/sobjects' },
      options,
      (b) => b.Id,
    );
  };

  const destroyOne = async (ref: string | RecordRef, options: CallOptions = {}) => {
    const id = checkRecordId(toId(ref));
    await conn.request({
      method: 'DELETE',
      path: `${base}/${id}`,
      ...callOptions(options),
    });
    return OK(id);
  };

  const destroyMany = async (refs: readonly (string | RecordRef)[], options: CollectionOptions = {}) => {
    const ids = refs.map(toId);
    checkIds(ids);
    return inChunks(
      ids,
      options,
      (chunk) =>
        conn.request<WireSaveResult[]>({
          method: 'DELETE',
          path: 'composite/sobjects',
          query: { ids: chunk.join(','), allOrNone: options.allOrNone === true },
          ...callOptions(options),
        }),
      (id) => id,
    );
  };

  const destroy = ((
    idOrIds: string | RecordRef | readonly (string | RecordRef)[],
    options?: CollectionOptions,
  ) =>
    Array.isArray(idOrIds)
      ? destroyMany(idOrIds, options)
      : destroyOne(idOrIds as string | RecordRef, options)) as SObject<T>['destroy'];

  const findQuery = (conditions: Conditions = {}, fields?: FieldList, options?: FindOptions) =>
    find<Retrieved<T>>(conn, type, conditions, fields, options);

  const api: SObject<T> = {
    type,
    connection: conn,
    retrieve: ((idOrIds: string | readonly string[], options?: RetrieveOptions) =>
      Array.isArray(idOrIds)
        ? retrieveMany(idOrIds, options)
        : retrieveOne(idOrIds as string, options)) as SObject<T>['retrieve'],
    create: ((input: unknown, options?: CollectionOptions) =>
      Array.isArray(input) ? createMany(input, options) : createOne(input, options)) as SObject<T>['create'],
    update: ((input: unknown, options?: CollectionOptions) =>
      Array.isArray(input) ? updateMany(input, options) : updateOne(input, options)) as SObject<T>['update'],
    upsert: ((input: unknown, externalIdField?: string, options?: CollectionOptions) =>
      Array.isArray(input)
        ? upsertMany({ conn, type }, input, externalIdField as string, options)
        : upsertOne({ conn, type }, input, externalIdField, options)) as SObject<T>['upsert'],
    destroy,
    del: destroy,
    describe: (options) => describe(conn, type, options),
    basicInfo: (options) => basicInfo(conn, type, options),
    find: findQuery,
    async findOne(conditions, fields, options) {
      const result = await findQuery(conditions, fields, options).limit(1);
      return result.records[0];
    },
    async findTracked(conditions, fields, options) {
      const records: TrackedRecord<Retrieved<T>>[] = [];
      for await (const r of findQuery(conditions, fields, options)) records.push(trackRecord(r, type));
      return records;
    },
    async count(conditions = {}, options = {}) {
      const sanitizeFilter = options.sanitizeFilter ?? conn.sanitizeFilter === true;
      const where = renderConditions(conditions, { sanitizeFilter });
      const soql = `SELECT COUNT() FROM ${type}${where ? ` WHERE ${where}` : ''}`;
      const result = await query(conn, soql, callOptions(options));
      return result.totalSize;
    },
    record: (id) => {
      checkIds([id]);
      const handle: RecordHandle<T> = {
        id,
        retrieve: (options) => retrieveOne(id, options),
        update: (fields, options) => updateOne({ ...(fields as object), Id: id }, options),
        destroy: (options) => destroyOne(id, options),
        blob: (options) => openBlob(conn, type, id, options),
      };
      return refuseCallbacks(handle, [], { update: RECORD_FIRST });
    },
    createRecord: (fields) => createRecord<T>(type, fields),
    recent: (options) => recent(conn, type, options),
    updated: (start, end, options) => updated(conn, type, start, end, options),
    deleted: (start, end, options) => deleted(conn, type, start, end, options),
    openBlob: (id, options) => openBlob(conn, type, id, options),
    blobStream: (id, options) => blobStream(conn, type, id, options),
    pipeBlob: (id, destination, options) => pipeBlob(conn, type, id, destination, options),
    uploadBlob: (fields, data, options) =>
      uploadBlob(conn, type, fields as Record<string, unknown>, data, options),
  };
  // node-salesforce's callbacks (`create(record, function (err, ret) {...})`) are refused.
  // nforce's per-call oauth object is refused too; the records and conditions are data.
  return withBulkPointers(
    refuseCallbacks(api, ['find', 'record', 'createRecord', 'blobStream'], {
      create: RECORD_FIRST,
      update: RECORD_FIRST,
      upsert: RECORD_FIRST,
      destroy: RECORD_FIRST,
      del: RECORD_FIRST,
      createRecord: RECORD_FIRST,
      uploadBlob: RECORD_FIRST,
      count: RECORD_FIRST,
      find: CONDITIONS_AND_FIELDS,
      findOne: CONDITIONS_AND_FIELDS,
      findTracked: CONDITIONS_AND_FIELDS,
    }),
  );
}
