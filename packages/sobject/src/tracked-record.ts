// Change-tracking records, as nforce's createSObject made them (nforce's README, in
// `shared/seeds/`): fields read and written like a
// plain object's, while the record remembers which fields changed since it was read or last
// saved, so an update sends only those.

import { salesforceError } from '@sf/core';
import { SOURCE } from './errors.js';
import type { SObjectRecord } from './types.js';

interface TrackingState {
  type: string;
  changed: Set<string>;
  externalId: { field: string; value: unknown } | undefined;
}

/** The methods of a tracked record (not enumerable: `Object.keys` and JSON see fields only). */
export interface TrackedRecordMethods<T extends object> {
  /** The sObject type, such as `Account`. */
  getType(): string;
  /** The record id, once it has one. */
  getId(): string | undefined;
  /** The external id field and value `upsert` matches on. */
  setExternalId(field: string, value: unknown): void;
  getExternalId(): { field: string; value: unknown } | undefined;
  /** Names of the fields changed since the record was read or last saved. */
  changedFields(): string[];
  /** The changed fields with their values: what `update` sends. */
  changes(): Partial<T>;
  hasChanges(): boolean;
  /** Forget the changes (called after a successful save), and take the id a create returned. */
  markSaved(id?: string): void;
}

/** A record that tracks its changes. See {@link createRecord} and {@link trackRecord}. */
export type TrackedRecord<T extends object = SObjectRecord> = T & TrackedRecordMethods<T>;

const states = new WeakMap<object, TrackingState>();

/** The tracking state of a record made by this module, if it is one. */
export function trackingOf(record: unknown): TrackingState | undefined {
  return typeof record === 'object' && record !== null ? states.get(record) : undefined;
}

const METHOD_NAMES = new Set([
  'getType',
  'getId',
  'setExternalId',
  'getExternalId',
  'changedFields',
  'changes',
  'hasChanges',
  'markSaved',
]);

function make<T extends object>(
  type: string,
  initial: Record<string, unknown>,
  changed: Iterable<string>,
): TrackedRecord<T> {
  if (typeof type !== 'string' || type === '')
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'a tracked record needs its sObject type');
  const target: Record<string, unknown> = { ...initial };
  const state: TrackingState = { type, changed: new Set(changed), externalId: undefined };
  const methods: TrackedRecordMethods<T> = {
    getType: () => state.type,
    getId: () => (typeof target.Id === 'string' ? target.Id : undefined),
    setExternalId(field, value) {
      if (typeof field !== 'string' || field === '')
        throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'setExternalId needs a field name');
      state.externalId = { field, value };
    },
    getExternalId: () => state.externalId,
    changedFields: () => [...state.changed],
    changes: () => {
      const out: Record<string, unknown> = {};
      for (const name of state.changed) out[name] = target[name];
      return out as Partial<T>;
    },
    hasChanges: () => state.changed.size > 0,
    markSaved(id) {
      if (id !== undefined) target.Id = id;
      state.changed.clear();
    },
  };
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(target, name, {
      value: fn,
      enumerable: false,
      writable: false,
      configurable: false,
    });
  }
  const proxy = new Proxy(target, {
    set(obj, prop, value) {
      if (typeof prop === 'string' && METHOD_NAMES.has(prop)) {
        throw salesforceError(
          SOURCE,
          'INVALID_ARGUMENT',
          `${prop} is a method of tracked records, not a field`,
        );
      }
      if (
        typeof prop === 'string' &&
        prop !== 'attributes' &&
        prop !== 'Id' &&
        !Object.is(obj[prop], value)
      ) {
        state.changed.add(prop);
      }
      obj[prop as string] = value;
      return true;
    },
    deleteProperty(obj, prop) {
      if (typeof prop === 'string') state.changed.delete(prop);
      return Reflect.deleteProperty(obj, prop);
    },
  });
  states.set(proxy, state);
  return proxy as unknown as TrackedRecord<T>;
}

/**
 * A new record of `type` whose initial fields all count as changed (nforce's `createSObject`).
 *
 * @example
 * const acc = createRecord('Account', { Name: 'Spiffy Cleaners' });
 * acc.Phone = '800-555-2345';
 * await sobject(conn, 'Account').create(acc); // sends Name and Phone; acc.Id is set
 */
export function createRecord<T extends object = SObjectRecord>(
  type: string,
  fields: Partial<T> = {},
): TrackedRecord<T> {
  const initial = { ...(fields as Record<string, unknown>) };
  delete initial.attributes;
  return make<T>(
    type,
    initial,
    Object.keys(initial).filter((k) => k !== 'Id'),
  );
}

/**
 * Wraps a record read from Salesforce (a query result, a retrieve) so that later changes are
 * tracked; nothing counts as changed yet. The type comes from `attributes.type` unless given.
 *
 * @example
 * const [acc] = (await query(conn, 'SELECT Id, Name, BillingCity FROM Account LIMIT 1')).records.map((r) => trackRecord(r));
 * acc.Name = 'Really Spiffy Cleaners';
 * await sobject(conn, 'Account').update(acc); // sends Name only
 */
export function trackRecord<T extends object = SObjectRecord>(record: T, type?: string): TrackedRecord<T> {
  const r = record as Record<string, unknown> & { attributes?: { type?: string } };
  const resolved = type ?? r.attributes?.type;
  if (!resolved)
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      'trackRecord: the record has no attributes.type; pass the type',
    );
  return make<T>(resolved, r, []);
}
