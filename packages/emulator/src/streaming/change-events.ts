// Change data capture: each committed change becomes a change event with a ChangeEventHeader,
// published on `/data/{Object}ChangeEvent` and `/data/ChangeEvents`.

import { randomUUID } from 'node:crypto';
import type { RecordChange } from '../store.js';

const CHANGE_TYPE: Record<RecordChange['type'], string> = {
  created: 'CREATE',
  updated: 'UPDATE',
  deleted: 'DELETE',
  undeleted: 'UNDELETE',
};

const SKIPPED_ON_CREATE = new Set(['Id', 'IsDeleted', 'SystemModstamp']);

/** `Account` → `/data/AccountChangeEvent`; `Invoice__c` → `/data/Invoice__ChangeEvent`. */
export function changeEventChannel(objectName: string): string {
  let channel = channels.get(objectName);
  if (channel === undefined) {
    channel = `/data/${objectName.replace(/__c$/, '__')}ChangeEvent`;
    channels.set(objectName, channel);
  }
  return channel;
}
const channels = new Map<string, string>();

/** The object of a `/data/...ChangeEvent` channel, or undefined for other channels. */
export function objectOfChangeEventChannel(channel: string): string | undefined {
  const m = /^\/data\/(\w+?)(__)?ChangeEvent$/.exec(channel);
  if (!m?.[1]) return undefined;
  return m[2] ? `${m[1]}__c` : m[1];
}

/**
 * The `payload` of a change event (Bayeux `data` minus the replay id). `row` and
 * `commitTimestamp` default to the change's row and now (see {@link changeEventPayloadLater}).
 */
export function changeEventPayload(
  change: RecordChange,
  apiVersion: string,
  commitNumber: number,
  row: Readonly<Record<string, unknown>> = change.row,
  commitTimestamp = Date.now(),
): Record<string, unknown> {
  let changedFields: string[] = [];
  let nulledFields: string[] = [];
  if (change.type === 'updated') {
    changedFields = [...new Set([...change.changedFields, 'LastModifiedDate'])];
    nulledFields = changedFields.filter((f) => row[f] === null);
  }
  // Built as one object, header first (a Bulk ingest builds one per row: no entries arrays).
  const payload: Record<string, unknown> = {
    ChangeEventHeader: {
      entityName: change.objectName,
      recordIds: [change.id],
      changeType: CHANGE_TYPE[change.type],
      changeOrigin: changeOrigin(apiVersion),
      // 32 hex digits; randomUUID draws from a cached pool, randomBytes(16) costs a call each.
      transactionKey: randomUUID().replaceAll('-', ''),
      sequenceNumber: 1,
      commitTimestamp,
      commitNumber,
      commitUser: row.LastModifiedById ?? null,
      changedFields,
      diffFields: [],
      nulledFields,
    },
  };
  if (change.type === 'created' || change.type === 'undeleted') {
    for (const name in row) {
      const value = row[name];
      if (value !== null && !SKIPPED_ON_CREATE.has(name)) payload[name] = value;
    }
  } else if (change.type === 'updated') {
    for (const name of changedFields) payload[name] = row[name] ?? null;
  }
  return payload;
}

/**
 * The payload of a change event, built on the first call (and the same object on every call)
 * from the row as it is now: for events that may never be read (see ReplayBuffer.appendLater).
 */
export function changeEventPayloadLater(
  change: RecordChange,
  apiVersion: string,
  commitNumber: number,
): () => Record<string, unknown> {
  const row = { ...change.row };
  const commitTimestamp = Date.now();
  let payload: Record<string, unknown> | undefined;
  return () => {
    payload ??= changeEventPayload(change, apiVersion, commitNumber, row, commitTimestamp);
    return payload;
  };
}

const origins = new Map<string, string>();
function changeOrigin(apiVersion: string): string {
  let origin = origins.get(apiVersion);
  if (origin === undefined) origins.set(apiVersion, (origin = `com/salesforce/api/rest/${apiVersion}`));
  return origin;
}
