// The rest of REST: recently used records, records updated or deleted in a date range, and any
// REST URL by its path.

import { refuseOldArguments } from '@sf/core';
import { salesforceError } from '@sf/core';
import type { Connection } from '@sf/core';
import { callOptions, SOURCE } from './errors.js';
import { checkApiName } from './path-segments.js';
import type { CallOptions, SObjectRecord } from './types.js';

/** `GET /sobjects/{Obj}/updated`. */
export interface UpdatedResult {
  ids: string[];
  latestDateCovered: string;
}

/** `GET /sobjects/{Obj}/deleted`. */
export interface DeletedResult {
  deletedRecords: { id: string; deletedDate: string }[];
  earliestDateAvailable: string | null;
  latestDateCovered: string;
}

/** Salesforce's format for these ranges: seconds and an explicit offset. */
function rangeDate(value: Date | string, name: string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (!(date instanceof Date) || Number.isNaN(date.getTime()))
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `${name} must be a Date or an ISO date`);
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/**
 * Ids of the records of `type` changed between `start` and `end` (Salesforce keeps 30 days).
 *
 * @example
 * const { ids } = await updated(conn, 'Account', new Date(Date.now() - 86400e3), new Date());
 */
export async function updated(
  conn: Connection,
  type: string,
  start: Date | string,
  end: Date | string,
  options: CallOptions = {},
): Promise<UpdatedResult> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'updated()', arguments);
  return conn.request({
    path: `sobjects/${checkApiName(type, 'an sObject type name')}/updated`,
    query: { start: rangeDate(start, 'start'), end: rangeDate(end, 'end') },
    ...callOptions(options),
  });
}

/** Records of `type` deleted between `start` and `end`. */
export async function deleted(
  conn: Connection,
  type: string,
  start: Date | string,
  end: Date | string,
  options: CallOptions = {},
): Promise<DeletedResult> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'deleted()', arguments);
  return conn.request({
    path: `sobjects/${checkApiName(type, 'an sObject type name')}/deleted`,
    query: { start: rangeDate(start, 'start'), end: rangeDate(end, 'end') },
    ...callOptions(options),
  });
}

/**
 * Recently used records: of every type (`GET /recent`), or of one type (the `recentItems` of
 * `GET /sobjects/{type}`).
 */
export async function recent(
  conn: Connection,
  type?: string,
  options: CallOptions & { limit?: number } = {},
): Promise<SObjectRecord[]> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'recent()', arguments);
  const { limit, ...rest } = options;
  if (type === undefined) {
    return conn.request({ path: 'recent', query: { limit }, ...callOptions(rest) });
  }
  const info = await conn.request<{ recentItems: SObjectRecord[] }>({
    path: `sobjects/${checkApiName(type, 'an sObject type name')}`,
    ...callOptions(rest),
  });
  return limit === undefined ? info.recentItems : info.recentItems.slice(0, limit);
}

/**
 * Any REST resource by its URL (`sobjects/Account/001...`, `/services/data/v64.0/limits`, or a
 * record's `attributes.url`), as nforce's `getUrl`.
 */
export async function getUrl<T = unknown>(
  conn: Connection,
  url: string,
  options: CallOptions = {},
): Promise<T> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'getUrl()', arguments);
  if (typeof url !== 'string' || url === '')
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'getUrl needs a url');
  return conn.request<T>({ path: url, ...callOptions(options) });
}

/** `GET /sobjects/{Obj}`: the object's basic metadata and its recently used records. */
export interface BasicInfo {
  objectDescribe: { name: string; label: string; keyPrefix: string | null; [key: string]: unknown };
  recentItems: SObjectRecord[];
}

/**
 * An object's basic metadata and recent items (nforce's `getMetadata(type)`): lighter than a
 * full describe, and not cached.
 */
export async function basicInfo(
  conn: Connection,
  type: string,
  options: CallOptions = {},
): Promise<BasicInfo> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'basicInfo()', arguments);
  return conn.request({
    path: `sobjects/${checkApiName(type, 'an sObject type name')}`,
    ...callOptions(options),
  });
}
