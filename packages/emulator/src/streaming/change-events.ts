// Change data capture: each committed change becomes a change event with a ChangeEventHeader,
// published on `/data/{Object}ChangeEvent` and `/data/ChangeEvents`.

import { randomBytes } from 'node:crypto';
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
  return `/data/${objectName.replace(/__c$/, '__')}ChangeEvent`;
}

/** The object of a `/data/...ChangeEvent` channel, or undefined for other channels. */
export function objectOfChangeEventChannel(channel: string): string | undefined {
  const m = /^\/data\/(\w+?)(__)?ChangeEvent$/.exec(channel);
  if (!m?.[1]) return undefined;
  return m[2] ? `${m[1]}__c` : m[1];
}

/** The `payload` of a change event (Bayeux `data` minus the replay id). */
export function changeEventPayload(change: RecordChange, apiVersion: string, commitNumber: number) {
  const row = change.row;
  const fields: Record<string, unknown> = {};
  let changedFields: string[] = [];
  if (change.type === 'created' || change.type === 'undeleted') {
    for (const [name, value] of Object.entries(row)) {
      if (value !== null && !SKIPPED_ON_CREATE.has(name)) fields[name] = value;
    }
  } else if (change.type === 'updated') {
    changedFields = [...new Set([...change.changedFields, 'LastModifiedDate'])];
    for (const name of changedFields) fields[name] = row[name] ?? null;
  }
  return {
    ChangeEventHeader: {
      entityName: change.objectName,
      recordIds: [change.id],
      changeType: CHANGE_TYPE[change.type],
      changeOrigin: `com/salesforce/api/rest/${apiVersion}`,
      transactionKey: randomBytes(16).toString('hex'),
      sequenceNumber: 1,
      commitTimestamp: Date.now(),
      commitNumber,
      commitUser: row.LastModifiedById ?? null,
      changedFields,
      diffFields: [],
      nulledFields: changedFields.filter((f) => row[f] === null),
    },
    ...fields,
  };
}
