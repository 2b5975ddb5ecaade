// Values Salesforce computes rather than stores as written: full names, compound addresses,
// auto-numbers, closed flags. Kept apart from the describe so the store stays generic.

import type { SObjectDescribe } from '../describe-types.js';

type Row = Record<string, unknown>;

/** Checkbox fields whose default is checked; every other checkbox defaults to false. */
const CHECKED_BY_DEFAULT: Record<string, readonly string[]> = {
  User: ['IsActive'],
  PushTopic: [
    'IsActive',
    'NotifyForOperationCreate',
    'NotifyForOperationUpdate',
    'NotifyForOperationDelete',
    'NotifyForOperationUndelete',
  ],
};

/** Defaults applied on insert to fields the caller left unset. */
export function applyInsertDefaults(describe: SObjectDescribe, row: Row, sequence: number): void {
  const checked = CHECKED_BY_DEFAULT[describe.name] ?? [];
  for (const f of describe.fields) {
    if (row[f.name] !== null && row[f.name] !== undefined) continue;
    if (f.type === 'boolean') row[f.name] = checked.includes(f.name);
    else if (f.picklistValues.length > 0) {
      const dflt = f.picklistValues.find((p) => p.defaultValue);
      if (dflt) row[f.name] = dflt.value;
    }
  }
  if (describe.name === 'Case') row.CaseNumber = String(1000 + sequence).padStart(8, '0');
  if (describe.custom && row.Name == null) row.Name = row.Id;
  if (describe.name === 'ContentVersion' && row.Title == null && typeof row.PathOnClient === 'string') {
    row.Title = row.PathOnClient.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  }
  if (describe.name === 'User' && row.CommunityNickname == null && typeof row.Username === 'string') {
    row.CommunityNickname = row.Username.split('@')[0] ?? null;
  }
}

function base64Length(value: unknown): number | null {
  return typeof value === 'string' ? Buffer.byteLength(value, 'base64') : null;
}

/** Recomputes derived fields after any write. */
export function applyDerivedFields(describe: SObjectDescribe, row: Row): void {
  for (const f of describe.fields) {
    if (f.type !== 'address') continue;
    const prefix = f.name.slice(0, -'Address'.length);
    const part = (name: string) => row[prefix + name] ?? null;
    const value = {
      city: part('City'),
      country: part('Country'),
      geocodeAccuracy: part('GeocodeAccuracy'),
      latitude: part('Latitude'),
      longitude: part('Longitude'),
      postalCode: part('PostalCode'),
      state: part('State'),
      street: part('Street'),
    };
    row[f.name] = Object.values(value).every((v) => v === null) ? null : value;
  }
  switch (describe.name) {
    case 'Contact':
    case 'Lead':
    case 'User':
      // The API's Name leaves the salutation out, unlike the UI's display name.
      row.Name = [row.FirstName, row.LastName].filter((p) => p != null).join(' ') || null;
      break;
    case 'Opportunity':
      row.IsClosed = row.StageName === 'Closed Won' || row.StageName === 'Closed Lost';
      row.IsWon = row.StageName === 'Closed Won';
      if (typeof row.CloseDate === 'string') {
        const [y, m] = row.CloseDate.split('-').map(Number) as [number, number];
        row.FiscalYear = y;
        row.FiscalQuarter = Math.ceil(m / 3);
        row.Fiscal = `${y} ${Math.ceil(m / 3)}`;
      }
      break;
    case 'Case':
      row.IsClosed = row.Status === 'Closed';
      break;
    case 'Task':
      row.IsClosed = row.Status === 'Completed';
      row.IsHighPriority = row.Priority === 'High';
      break;
    case 'Attachment':
    case 'Document':
      row.BodyLength = base64Length(row.Body);
      break;
    case 'ContentVersion':
      row.ContentSize = base64Length(row.VersionData);
      if (typeof row.PathOnClient === 'string' && row.PathOnClient.includes('.')) {
        const extension = row.PathOnClient.slice(row.PathOnClient.lastIndexOf('.') + 1).toLowerCase();
        row.FileExtension = extension;
        row.FileType = extension.toUpperCase();
      }
      break;
  }
}
