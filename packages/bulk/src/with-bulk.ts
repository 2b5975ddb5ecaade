// node-salesforce's sObject with bulk (README under `shared/seeds/`): `withBulk(sobject)` adds
// `insertBulk`, `bulkload`, `updateBulk` and `destroyBulk` to an @sf/sobject `SObject`, and
// `.destroy()` / `.update(mapper)` to what its `find()` returns (switching.ts does the work).

import type { RecordSource } from '@sf/record-stream';
import { type CallArguments, checkCall } from './arguments.js';
import { bulkError } from './errors.js';
import type { IngestOperation } from './ingest.js';
import type { BulkRecord, IngestInput } from './input.js';
import type { LoadOptions } from './load.js';
import type { LoadOperation } from './load-operation.js';
import {
  destroyRecords,
  type SObjectLike,
  type SwitchedResult,
  type SwitchOptions,
  updateRecords,
} from './switching.js';
import { type BulkLoader, bulkload, destroyBulk, insertBulk, updateBulk } from './together.js';

type RecordOf<Q> = Q extends AsyncIterable<infer R> ? R : never;

/** What {@link withBulk} adds to a `find()` result. */
export interface FoundWrites<R> {
  /** Deletes every record found: see {@link destroyRecords}. */
  destroy(options?: SwitchOptions & { hard?: boolean }): LoadOperation<SwitchedResult>;
  /** Updates every record found with what `mapper` returns: see {@link updateRecords}. */
  update(
    mapper: (record: R) => BulkRecord | PromiseLike<BulkRecord>,
    options?: SwitchOptions,
  ): LoadOperation<SwitchedResult>;
}

/** What {@link withBulk} adds to an sObject: node-salesforce's bulk methods, bound to its type. */
export interface BulkMethods {
  /** `insertBulk(records)` of node-salesforce: a Bulk API 2.0 insert. */
  insertBulk(records: IngestInput, options?: LoadOptions): LoadOperation;
  /** node-salesforce's `bulkload(operation).execute(input)`. */
  bulkload(operation: IngestOperation, options?: LoadOptions): BulkLoader;
  /** Bulk API 2.0 update of every record of `source`, mapped (whatever the count). */
  updateBulk<T>(
    source: RecordSource<T>,
    mapper: (record: T) => BulkRecord,
    options?: LoadOptions,
  ): LoadOperation;
  /** Bulk API 2.0 delete of every record of `source` (whatever the count). */
  destroyBulk(source: RecordSource<object>, options?: LoadOptions & { hard?: boolean }): LoadOperation;
}

/** An sObject from {@link withBulk}. */
export type WithBulk<S extends SObjectLike> = Omit<S, 'find'> &
  BulkMethods &
  (S extends { find(...args: infer A): infer Q }
    ? { find(...args: A): Q & FoundWrites<RecordOf<Q>> }
    : unknown);

/**
 * node-salesforce's sObject with bulk: `find(...)` results gain `.destroy()` and `.update(mapper)`
 * (REST up to `bulkThreshold` records, Bulk API 2.0 above), and the sObject gains `insertBulk`,
 * `bulkload(op).execute`, `updateBulk` and `destroyBulk`. Everything else is the sObject's own.
 * `defaults` apply to every call (a call's options win).
 *
 * @example
 * const Account = withBulk(sobject<{ Id: string; Name: string }>(conn, 'Account'), { pollIntervalMs: 2000 });
 * await Account.find({ CreatedDate: { $lt: SoqlDate.LAST_YEAR } }).destroy();
 * await Account.find({ Type: 'Prospect' }, ['Id', 'Name']).update((a) => ({ Id: a.Id, Name: a.Name.trim() }));
 * await Account.insertBulk([{ Name: 'Acme' }]);
 */
export function withBulk<S extends SObjectLike>(sobject: S, defaults: SwitchOptions = {}): WithBulk<S> {
  if (
    typeof sobject !== 'object' ||
    sobject === null ||
    typeof sobject.type !== 'string' ||
    !sobject.connection
  ) {
    throw bulkError('withBulk needs an sObject (sobject(conn, type) from @sf/sobject)', {
      code: 'INVALID_ARGUMENT',
    });
  }
  const { connection: conn, type } = sobject;
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  checkCall('withBulk', arguments, { opaque: [0], options: 1 });
  /** A method's options over the defaults, once the method's `args` are checked. */
  const merged = <O extends object>(
    call: string,
    args: ArrayLike<unknown>,
    where: CallArguments,
    options: O | undefined,
  ): SwitchOptions & O => {
    checkCall(call, args, where);
    return { ...defaults, ...options } as SwitchOptions & O;
  };
  const methods: BulkMethods = {
    insertBulk(records, options) {
      // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
      const all = merged('insertBulk', arguments, { data: [0], options: 1 }, options);
      return insertBulk(conn, type, records, all);
    },
    bulkload(operation, options) {
      // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
      return bulkload(conn, type, operation, merged('bulkload', arguments, { options: 1 }, options));
    },
    updateBulk(source, mapper, options) {
      // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
      const all = merged('updateBulk', arguments, { data: [0], fn: 1, options: 2 }, options);
      return updateBulk(conn, type, source, mapper, all);
    },
    destroyBulk(source, options) {
      // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
      const all = merged('destroyBulk', arguments, { data: [0], options: 1 }, options);
      return destroyBulk(conn, type, source, all);
    },
  };
  const extended: Record<string, unknown> = Object.assign(
    Object.create(sobject) as Record<string, unknown>,
    methods,
  );
  const find = (sobject as { find?: unknown }).find;
  if (typeof find === 'function') {
    extended.find = (...args: unknown[]) => {
      const found = find.apply(sobject, args) as RecordSource<Record<string, unknown>> & object;
      // A stream's destroy() is its teardown, called by Node itself: never shadow a member.
      const taken = ['destroy', 'update'].find((name) => name in found);
      if (taken !== undefined) {
        throw bulkError(
          `withBulk: what find() returned already has a "${taken}" member; use destroyRecords/updateRecords instead`,
          { code: 'INVALID_ARGUMENT' },
        );
      }
      const writes: FoundWrites<Record<string, unknown>> = {
        destroy(options) {
          // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
          return destroyRecords(sobject, found, merged('destroy', arguments, { options: 0 }, options));
        },
        update(mapper, options) {
          // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
          const all = merged('update', arguments, { fn: 0, options: 1 }, options);
          return updateRecords(sobject, found, mapper, all);
        },
      };
      return Object.assign(found, writes);
    };
  }
  return extended as WithBulk<S>;
}
