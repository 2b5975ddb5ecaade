// Turning JavaScript values into SOQL literals. Everything a caller can pass goes through
// here, so user input only ever lands inside a quoted, escaped string or a validated token.
import { salesforceError } from '@sf/core';
import { SOURCE } from './source.js';

/**
 * A literal written into SOQL as it is, after validation: a date literal (`YESTERDAY`,
 * `LAST_N_DAYS:3`), a date (`2024-05-01`) or a datetime (`2024-05-01T10:00:00Z`). Plain data,
 * so values built by another copy of this package are recognised too.
 */
export interface SoqlLiteral {
  readonly $literal: string;
}

/**
 * A LIKE pattern built from plain text: the text's `%` and `_` are escaped so they match
 * themselves, and `%` is added where `anchor` says. Make one with {@link SoqlLike}.
 */
export interface SoqlLikePattern {
  readonly $likeText: string;
  readonly anchor: 'contains' | 'startsWith' | 'endsWith' | 'exact';
}

/** A value that is not a list. */
export type SoqlScalar = string | number | bigint | boolean | null | Date | SoqlLiteral | SoqlLikePattern;

/** A value the builder and the `soql` tag accept. Arrays are for `IN`, `INCLUDES` and friends. */
export type SoqlValue = SoqlScalar | readonly SoqlScalar[];

const DATE_LITERAL = /^[A-Z][A-Z0-9_]*[A-Z0-9](?::\d{1,4})?$/;
const DATE_VALUE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_VALUE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/;

/** True for `{ $literal: string }`. */
export function isSoqlLiteral(value: unknown): value is SoqlLiteral {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { $literal?: unknown }).$literal === 'string' &&
    Object.keys(value).length === 1
  );
}

/** True for a pattern made by {@link SoqlLike}. */
export function isSoqlLikePattern(value: unknown): value is SoqlLikePattern {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { $likeText?: unknown }).$likeText === 'string'
  );
}

/**
 * Checks a raw literal: only date literals (upper-case words, optionally `:n`), dates and
 * datetimes pass, so a `$literal` taken from user input cannot carry SOQL of its own.
 */
export function checkLiteral(text: string): string {
  if (DATE_LITERAL.test(text) || DATE_VALUE.test(text) || DATETIME_VALUE.test(text)) return text;
  throw salesforceError(
    SOURCE,
    'INVALID_ARGUMENT',
    `"${text}" is not a date literal, a date (YYYY-MM-DD) or a datetime (YYYY-MM-DDThh:mm:ssZ)`,
  );
}

const STRING_ESCAPES: Record<string, string> = {
  "'": "\\'",
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/**
 * Escapes text for use between single quotes in SOQL: quotes, backslashes and the control
 * characters SOQL has escapes for. With `likeWildcards`, `%` and `_` are escaped too, so they
 * match themselves inside a LIKE pattern.
 *
 * @example
 * escapeSoqlString("O'Brien") // "O\\'Brien"
 */
export function escapeSoqlString(text: string, options: { likeWildcards?: boolean } = {}): string {
  const re = options.likeWildcards ? /['"\\\n\r\t\b\f%_]/g : /['"\\\n\r\t\b\f]/g;
  return text.replace(re, (c) => STRING_ESCAPES[c] ?? `\\${c}`);
}

/** `'text'`, escaped. */
export function quoteSoqlString(text: string): string {
  return `'${escapeSoqlString(text)}'`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function checkDate(date: Date): void {
  if (Number.isNaN(date.getTime()))
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'an invalid Date cannot be written into SOQL');
}

/** A Date as SOQL's date form (`2024-05-01`, its UTC calendar day). */
export function toDateLiteral(date: Date): string {
  checkDate(date);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/**
 * A Date as SOQL's datetime form, in UTC without milliseconds (`2024-05-01T10:00:00Z`):
 * Salesforce documents only whole seconds in datetime literals, so milliseconds are dropped.
 */
export function toDateTimeLiteral(date: Date): string {
  checkDate(date);
  return `${toDateLiteral(date)}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}Z`;
}

/**
 * A finite number as a plain SOQL decimal (SOQL has no exponent notation). The digits are the
 * shortest ones that read back as the same double (`String(n)`), with the exponent written out
 * as zeros, so `1.5e-25` is `0.00000000000000000000000015`: long, but exactly the value given.
 */
function formatNumber(n: number): string {
  if (!Number.isFinite(n))
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `${n} cannot be written into SOQL`);
  const text = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (m === null) return text;
  const [, sign = '', lead = '', fraction = '', exponent = '0'] = m;
  const digits = lead + fraction;
  const point = 1 + Number(exponent); // digits before the decimal point
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function formatLike(pattern: SoqlLikePattern): string {
  const text = escapeSoqlString(pattern.$likeText, { likeWildcards: true });
  switch (pattern.anchor) {
    case 'contains':
      return `'%${text}%'`;
    case 'startsWith':
      return `'${text}%'`;
    case 'endsWith':
      return `'%${text}'`;
    case 'exact':
      return `'${text}'`;
    default:
      throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `unknown LIKE anchor "${String(pattern.anchor)}"`);
  }
}

/**
 * One value as a SOQL literal: strings quoted and escaped, numbers, booleans, `null`, Dates as
 * datetimes, validated `{ $literal }` values, LIKE patterns. Anything else is refused.
 */
export function formatScalar(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quoteSoqlString(value);
    case 'number':
      return formatNumber(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (value instanceof Date) return toDateTimeLiteral(value);
      if (isSoqlLiteral(value)) return checkLiteral(value.$literal);
      if (isSoqlLikePattern(value)) return formatLike(value);
      break;
    default:
      break;
  }
  throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `cannot write ${describe(value)} into SOQL`);
}

/** A list for `IN (...)`, `INCLUDES (...)`; at least one value. */
export function formatList(values: unknown, operator: string): string {
  if (!Array.isArray(values))
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `${operator} expects an array, got ${describe(values)}`,
    );
  if (values.length === 0)
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `${operator} expects at least one value (SOQL has no empty list)`,
    );
  return `(${values.map((v) => formatScalar(v)).join(', ')})`;
}

/** A scalar, or a parenthesised list for an array. */
export function formatValue(value: unknown): string {
  return Array.isArray(value) ? formatList(value, 'a list') : formatScalar(value);
}

/** @internal */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return value === null ? 'null' : 'an object';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
const PATH = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*$/;

/** Checks an sObject name (`Account`, `My_Object__c`). */
export function checkObjectName(name: unknown): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `"${String(name)}" is not an sObject name`);
  }
  return name;
}

/** Checks a field path (`Name`, `Account.Owner.Name`). */
export function checkFieldPath(path: unknown): string {
  if (typeof path !== 'string' || !PATH.test(path))
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `"${String(path)}" is not a field name or path`);
  return path;
}
