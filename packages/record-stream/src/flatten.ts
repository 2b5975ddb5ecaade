import { recordStreamError } from './errors.js';

/** Options of {@link unflattenRecord} (and of `fromCSV`, which uses it). */
export interface UnflattenOptions {
  /**
   * Turn a rebuilt parent whose every field is `null` into `null` itself, as Salesforce returns
   * an empty lookup (`{ Account: null }` rather than `{ Account: { Name: null } }`). Default false.
   */
  collapseNullParents?: boolean;
}

/** True for a plain object literal (not a Date, Buffer, array or class instance). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** True for a child relationship (subquery) result: `{ totalSize, done, records: [...] }`. */
export function isChildResult(value: unknown): boolean {
  return isPlainObject(value) && Array.isArray(value['records']);
}

// `__proto__` as a plain assignment would change the prototype; records from a CSV are untrusted.
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function getOwn(target: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(target, key) ? target[key] : undefined;
}

function flattenInto(out: Record<string, unknown>, prefix: string, record: Record<string, unknown>): void {
  for (const key of Object.keys(record)) {
    if (key === 'attributes') continue;
    const value = record[key];
    if (isPlainObject(value) && !isChildResult(value)) {
      flattenInto(out, `${prefix}${key}.`, value);
    } else {
      setOwn(out, prefix + key, value);
    }
  }
}

/**
 * Flattens a Salesforce record into one level with dotted keys: parent relationships become
 * `Account.Name`, `Account.Owner.Name`; `attributes` is dropped at every level; a `null` parent
 * stays one `null` key (`Account: null`); child relationship results (objects with a `records`
 * array), arrays, Dates and other non-plain objects are kept as they are under their key.
 * A parent with no fields besides `attributes` produces no key. The input is not modified.
 *
 * @example
 * ```ts
 * flattenRecord({ attributes: { type: 'Contact' }, Name: 'Ada', Account: { Name: 'Acme', Owner: null } });
 * // { Name: 'Ada', 'Account.Name': 'Acme', 'Account.Owner': null }
 * ```
 */
export function flattenRecord(record: object): Record<string, unknown> {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw recordStreamError(
      'INVALID_RECORD',
      `expected a record object, got ${record === null ? 'null' : Array.isArray(record) ? 'an array' : typeof record}`,
    );
  }
  const out: Record<string, unknown> = {};
  flattenInto(out, '', record as Record<string, unknown>);
  return out;
}

function isEmptyScalar(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

function collapse(node: Record<string, unknown>, parents: WeakSet<object>): Record<string, unknown> | null {
  let allNull = true;
  for (const key of Object.keys(node)) {
    let value = node[key];
    if (typeof value === 'object' && value !== null && parents.has(value)) {
      value = collapse(value as Record<string, unknown>, parents);
      setOwn(node, key, value);
    }
    if (value !== null && value !== undefined) allNull = false;
  }
  return allNull ? null : node;
}

/**
 * Rebuilds nested parent objects from dotted keys, the inverse of {@link flattenRecord}:
 * `{ 'Account.Name': 'Acme' }` becomes `{ Account: { Name: 'Acme' } }`. A key is split only when
 * every dot-separated part is non-empty (`a..b` stays literal). When a plain key and a dotted key
 * meet (`Account` and `Account.Name`), an empty value (`null`, `undefined`, `''`) on the plain key
 * gives way to the nested object; two real values conflict and throw a `SalesforceError` with
 * code `INVALID_RECORD`. With `collapseNullParents`, a parent whose fields are all null becomes null.
 *
 * @example
 * ```ts
 * unflattenRecord({ Id: '003', 'Account.Name': 'Acme', 'Account.Owner.Name': null }, { collapseNullParents: true });
 * // { Id: '003', Account: { Name: 'Acme', Owner: null } }
 * ```
 */
export function unflattenRecord(
  flat: Readonly<Record<string, unknown>>,
  options: UnflattenOptions = {},
): Record<string, unknown> {
  if (!isPlainObject(flat)) {
    throw recordStreamError('INVALID_ARGUMENT', 'unflattenRecord expects a plain object');
  }
  const out: Record<string, unknown> = {};
  // Objects this call created, as opposed to object values (Dates, arrays) that were in `flat`.
  const parents = new WeakSet<object>();
  for (const key of Object.keys(flat)) {
    const value = flat[key];
    const parts = key.split('.');
    if (parts.some((part) => part === '')) {
      parts.length = 0;
      parts.push(key);
    }
    let node = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i]!;
      const existing = getOwn(node, part);
      if (typeof existing === 'object' && existing !== null && parents.has(existing)) {
        node = existing as Record<string, unknown>;
        continue;
      }
      if (!isEmptyScalar(existing)) {
        throw recordStreamError(
          'INVALID_RECORD',
          `field "${key}" conflicts with the value of "${parts.slice(0, i + 1).join('.')}"`,
        );
      }
      const child: Record<string, unknown> = {};
      parents.add(child);
      setOwn(node, part, child);
      node = child;
    }
    const last = parts[parts.length - 1]!;
    const existing = getOwn(node, last);
    if (typeof existing === 'object' && existing !== null && parents.has(existing)) {
      if (isEmptyScalar(value)) continue;
      throw recordStreamError('INVALID_RECORD', `field "${key}" conflicts with its own nested fields`);
    }
    setOwn(node, last, value);
  }
  if (options.collapseNullParents) {
    for (const key of Object.keys(out)) {
      const value = out[key];
      if (typeof value === 'object' && value !== null && parents.has(value)) {
        setOwn(out, key, collapse(value as Record<string, unknown>, parents));
      }
    }
  }
  return out;
}
