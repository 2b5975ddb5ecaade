// The JSON-style (MongoDB-like) query builder: conditions, fields and sort as plain data,
// rendered to SOQL with every value escaped and every name validated.
import { salesforceError } from '@sf/core';
import { checkSanitized } from './sanitize-filter.js';
import {
  checkFieldPath,
  checkObjectName,
  describe,
  formatList,
  formatScalar,
  isSoqlLikePattern,
  isSoqlLiteral,
  type SoqlScalar,
  type SoqlValue,
} from './soql-literal.js';
import { SOURCE } from './source.js';

/** Operators on one field. A plain value (not an object of operators) means `$eq`. */
export interface FieldOperators {
  $eq?: SoqlScalar;
  $ne?: SoqlScalar;
  $gt?: SoqlScalar;
  $gte?: SoqlScalar;
  $lt?: SoqlScalar;
  $lte?: SoqlScalar;
  /** A LIKE pattern: a string keeps its `%`/`_` wildcards; `SoqlLike.contains(text)` escapes them. */
  $like?: SoqlScalar;
  $nlike?: SoqlScalar;
  $in?: readonly SoqlScalar[];
  $nin?: readonly SoqlScalar[];
  /** Multi-select picklists: `INCLUDES ('a;b', 'c')`. */
  $includes?: readonly SoqlScalar[];
  $excludes?: readonly SoqlScalar[];
  /** `true`: `!= null`; `false`: `= null`. */
  $exists?: boolean;
  $not?: FieldOperators | SoqlScalar;
}

/**
 * Conditions: field paths (`Name`, `'Account.Name'`, or nested `{ Account: { Name: ... } }`)
 * to a value or operators, ANDed; `$and`, `$or` (arrays of conditions) and `$not`.
 */
export interface Conditions {
  $and?: readonly Conditions[];
  $or?: readonly Conditions[];
  $not?: Conditions;
  [field: string]: SoqlValue | FieldOperators | Conditions | readonly Conditions[] | undefined;
}

/** Fields: `['Id', 'Account.Name']`, `'Id, Name'` or `{ Id: 1, Name: 1 }` (truthy values select). */
export type FieldList = readonly string[] | string | Readonly<Record<string, unknown>>;

/** Sort: `{ CreatedDate: -1, Name: 1 }` (also `'asc'`/`'desc'`), or `'-CreatedDate Name'`. */
export type SortSpec = string | Readonly<Record<string, 1 | -1 | 'asc' | 'desc' | 'ASC' | 'DESC'>>;

/** What {@link buildSoql} renders. */
export interface QuerySpec {
  sobject: string;
  fields?: FieldList;
  conditions?: Conditions;
  sort?: SortSpec;
  limit?: number;
  offset?: number;
  /** Refuse condition values that are objects with `$` keys unless `trusted(...)`. Default false. */
  sanitizeFilter?: boolean;
}

/** Options of {@link renderConditions}. */
export interface RenderOptions {
  /** Refuse condition values that are objects with `$` keys unless `trusted(...)`. Default false. */
  sanitizeFilter?: boolean;
}

const COMPARISONS: Record<string, string> = {
  $eq: '=',
  $ne: '!=',
  $gt: '>',
  $gte: '>=',
  $lt: '<',
  $lte: '<=',
  $like: 'LIKE',
};
const LISTS: Record<string, string> = {
  $in: 'IN',
  $nin: 'NOT IN',
  $includes: 'INCLUDES',
  $excludes: 'EXCLUDES',
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date)
    return false;
  return !isSoqlLiteral(value) && !isSoqlLikePattern(value);
}

function isOperatorObject(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

function join(parts: string[], op: 'AND' | 'OR'): string {
  if (parts.length === 1) return parts[0]!;
  return parts.map((p) => `(${p})`).join(` ${op} `);
}

function fieldCondition(path: string, spec: unknown): string[] {
  if (!isPlainObject(spec)) {
    if (Array.isArray(spec)) return [`${path} IN ${formatList(spec, '$in')}`];
    if (spec === undefined)
      throw salesforceError(
        SOURCE,
        'INVALID_ARGUMENT',
        `condition on "${path}" is undefined (use null to match empty fields)`,
      );
    return [`${path} = ${formatScalar(spec)}`];
  }
  if (!isOperatorObject(spec) || '$and' in spec || '$or' in spec) {
    // A nested object of fields (and $and/$or/$not over them): a relationship path.
    return conditionParts(spec, `${path}.`);
  }
  const parts: string[] = [];
  for (const [op, value] of Object.entries(spec)) {
    if (value === undefined)
      throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `operator ${op} on "${path}" is undefined`);
    const comparison = COMPARISONS[op];
    const list = LISTS[op];
    if (comparison !== undefined) {
      parts.push(`${path} ${comparison} ${formatScalar(value)}`);
    } else if (op === '$nlike') {
      parts.push(`(NOT (${path} LIKE ${formatScalar(value)}))`);
    } else if (list !== undefined) {
      parts.push(`${path} ${list} ${formatList(value, op)}`);
    } else if (op === '$exists') {
      if (typeof value !== 'boolean')
        throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `$exists on "${path}" expects true or false`);
      parts.push(`${path} ${value ? '!=' : '='} null`);
    } else if (op === '$not') {
      parts.push(`(NOT (${join(fieldCondition(path, value), 'AND')}))`);
    } else {
      throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `unknown operator ${op} on "${path}"`);
    }
  }
  return parts;
}

function conditionList(value: unknown, op: string): Conditions[] {
  if (!Array.isArray(value))
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `${op} expects an array of conditions, got ${describe(value)}`,
    );
  if (value.length === 0)
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `${op} expects at least one condition`);
  return value as Conditions[];
}

/** Conditions joined with AND, every field path under `prefix` (a relationship's `Account.`). */
function renderWithin(conditions: unknown, prefix: string, what: string): string {
  if (!isPlainObject(conditions))
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `${what} expects conditions, got ${describe(conditions)}`,
    );
  const parts = conditionParts(conditions, prefix);
  if (parts.length === 0)
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `${what} cannot hold an empty condition`);
  return join(parts, 'AND');
}

function conditionParts(conditions: Record<string, unknown>, prefix = ''): string[] {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(conditions)) {
    if (key === '$and' || key === '$or') {
      const subs = conditionList(value, key).map((c) => renderWithin(c, prefix, key));
      parts.push(join(subs, key === '$and' ? 'AND' : 'OR'));
    } else if (key === '$not') {
      parts.push(`(NOT (${renderWithin(value, prefix, '$not')}))`);
    } else if (key.startsWith('$')) {
      throw salesforceError(
        SOURCE,
        'INVALID_ARGUMENT',
        `unknown operator ${key} (field operators go inside a field: { Name: { ${key}: ... } })`,
      );
    } else {
      parts.push(...fieldCondition(checkFieldPath(prefix + key), value));
    }
  }
  return parts;
}

/**
 * A WHERE clause's body (without `WHERE`) from conditions; `''` for no conditions.
 *
 * @example
 * renderConditions({ LastName: { $like: 'A%' }, 'Account.Name': 'Sony, Inc.' })
 * // "(LastName LIKE 'A%') AND (Account.Name = 'Sony, Inc.')"
 */
export function renderConditions(conditions: Conditions, options: RenderOptions = {}): string {
  if (!isPlainObject(conditions))
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `conditions must be an object, got ${describe(conditions)}`,
    );
  if (options.sanitizeFilter === true) checkSanitized(conditions);
  return join(conditionParts(conditions), 'AND');
}

const FIELDS_FN = /^FIELDS\((ALL|STANDARD|CUSTOM)\)$/i;

function checkSelectItem(item: string): string {
  const trimmed = item.trim();
  return FIELDS_FN.test(trimmed) ? trimmed.toUpperCase() : checkFieldPath(trimmed);
}

/** The select list; `Id` when none is given. */
export function renderFields(fields: FieldList | undefined): string {
  let names: string[];
  if (fields === undefined) names = ['Id'];
  else if (typeof fields === 'string') names = fields.split(',').filter((f) => f.trim() !== '');
  else if (Array.isArray(fields)) names = [...(fields as readonly string[])];
  else if (isPlainObject(fields)) names = Object.keys(fields).filter((k) => Boolean(fields[k]));
  else
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `fields must be an array, a string or an object, got ${describe(fields)}`,
    );
  if (names.length === 0) throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'select at least one field');
  return names.map((f) => checkSelectItem(String(f))).join(', ');
}

/** The ORDER BY list (without `ORDER BY`); `''` when there is none. */
export function renderSort(sort: SortSpec | undefined): string {
  if (sort === undefined) return '';
  const items: string[] = [];
  if (typeof sort === 'string') {
    for (const token of sort.split(/[\s,]+/).filter((t) => t !== '')) {
      const desc = token.startsWith('-');
      const path = checkFieldPath(token.replace(/^[-+]/, ''));
      items.push(`${path} ${desc ? 'DESC' : 'ASC'}`);
    }
  } else if (isPlainObject(sort)) {
    for (const [key, dir] of Object.entries(sort)) {
      const path = checkFieldPath(key);
      if (dir === 1 || dir === 'asc' || dir === 'ASC') items.push(`${path} ASC`);
      else if (dir === -1 || dir === 'desc' || dir === 'DESC') items.push(`${path} DESC`);
      else
        throw salesforceError(
          SOURCE,
          'INVALID_ARGUMENT',
          `sort direction for "${key}" must be 1, -1, 'asc' or 'desc'`,
        );
    }
  } else {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `sort must be an object or a string, got ${describe(sort)}`,
    );
  }
  return items.join(', ');
}

function checkCount(value: number | undefined, what: string): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `${what} must be a non-negative integer, got ${String(value)}`,
    );
  }
}

/**
 * SOQL from a query spec. Names are validated, values escaped.
 *
 * @example
 * buildSoql({ sobject: 'Contact', fields: { Id: 1, Name: 1 }, conditions: { LastName: { $like: 'A%' } },
 *   sort: { CreatedDate: -1 }, limit: 10 })
 * // "SELECT Id, Name FROM Contact WHERE LastName LIKE 'A%' ORDER BY CreatedDate DESC LIMIT 10"
 */
export function buildSoql(spec: QuerySpec): string {
  checkCount(spec.limit, 'limit');
  checkCount(spec.offset, 'offset');
  let text = `SELECT ${renderFields(spec.fields)} FROM ${checkObjectName(spec.sobject)}`;
  const where =
    spec.conditions === undefined
      ? ''
      : renderConditions(spec.conditions, { sanitizeFilter: spec.sanitizeFilter === true });
  if (where !== '') text += ` WHERE ${where}`;
  const order = renderSort(spec.sort);
  if (order !== '') text += ` ORDER BY ${order}`;
  if (spec.limit !== undefined) text += ` LIMIT ${spec.limit}`;
  if (spec.offset !== undefined) text += ` OFFSET ${spec.offset}`;
  return text;
}
