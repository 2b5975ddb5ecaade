// describe / describeGlobal with a cache per connection (a WeakMap, so a dropped connection
// takes its cache with it), and If-Modified-Since revalidation against Salesforce.

import { refuseOldArguments } from '@sf/core';
import type { Connection } from '@sf/core';
import { callOptions, SOURCE } from './errors.js';
import { checkApiName } from './path-segments.js';
import type { CallOptions } from './types.js';

/** One field of a describe. Salesforce sends many more members; they are kept as they come. */
export interface DescribeField {
  name: string;
  label: string;
  type: string;
  length: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  externalId: boolean;
  idLookup?: boolean;
  defaultedOnCreate?: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  picklistValues: { value: string; label: string | null; active: boolean; defaultValue: boolean }[];
  [key: string]: unknown;
}

/** `GET /sobjects/{Obj}/describe`. */
export interface DescribeSObjectResult {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string | null;
  custom: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  fields: DescribeField[];
  childRelationships: {
    childSObject: string;
    field: string;
    relationshipName: string | null;
    cascadeDelete: boolean;
    [key: string]: unknown;
  }[];
  [key: string]: unknown;
}

/** `GET /sobjects`. */
export interface DescribeGlobalResult {
  encoding: string;
  maxBatchSize: number;
  sobjects: {
    name: string;
    label: string;
    keyPrefix: string | null;
    custom: boolean;
    [key: string]: unknown;
  }[];
}

export interface DescribeOptions extends CallOptions {
  /**
   * What to do with a cached copy: `'use'` (default) answers from the cache without a request;
   * `'revalidate'` asks Salesforce with If-Modified-Since and keeps the copy on 304;
   * `'reload'` fetches afresh. The answer is cached in every case.
   */
  cache?: 'use' | 'revalidate' | 'reload';
}

interface Entry {
  value: unknown;
  lastModified: string | undefined;
}

const caches = new WeakMap<Connection, Map<string, Entry>>();

function cacheOf(conn: Connection): Map<string, Entry> {
  let cache = caches.get(conn);
  if (!cache) {
    cache = new Map();
    caches.set(conn, cache);
  }
  return cache;
}

async function cachedGet<T>(
  conn: Connection,
  key: string,
  path: string,
  options: DescribeOptions,
): Promise<T> {
  const cache = cacheOf(conn);
  const entry = cache.get(key);
  const mode = options.cache ?? 'use';
  if (entry && mode === 'use') return entry.value as T;
  const headers: Record<string, string> =
    entry?.lastModified && mode === 'revalidate' ? { 'if-modified-since': entry.lastModified } : {};
  const res = await conn.requestRaw({ method: 'GET', path, headers, ...callOptions(options) });
  if (res.status === 304 && entry) {
    await res.cancel();
    return entry.value as T;
  }
  const value = await res.json<T>();
  cache.set(key, { value, lastModified: res.headers['last-modified'] });
  return value;
}

/**
 * `GET /sobjects/{type}/describe`, cached per connection.
 *
 * @example
 * const meta = await describe(conn, 'Account');
 * console.log(meta.label, meta.fields.length);
 */
export async function describe(
  conn: Connection,
  type: string,
  options: DescribeOptions = {},
): Promise<DescribeSObjectResult> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'describe()', arguments);
  checkApiName(type, 'an sObject type name');
  return cachedGet(conn, type.toLowerCase(), `sobjects/${type}/describe`, options);
}

/**
 * `GET /sobjects`: every object of the org, cached per connection.
 *
 * @example
 * const { sobjects } = await describeGlobal(conn);
 */
export async function describeGlobal(
  conn: Connection,
  options: DescribeOptions = {},
): Promise<DescribeGlobalResult> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'describeGlobal()', arguments);
  return cachedGet(conn, '', 'sobjects', options);
}

/** Forgets the cached describe of `type`, or every cached describe of the connection. */
export function clearDescribeCache(conn: Connection, type?: string): void {
  if (type === undefined) caches.delete(conn);
  else caches.get(conn)?.delete(type.toLowerCase());
}
