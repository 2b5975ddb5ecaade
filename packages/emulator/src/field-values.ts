// Checks and normalizes one field value the way Salesforce's JSON deserializer does: loosely
// (numeric strings for numbers, 'true' for booleans), but values come out in wire form
// (dates as YYYY-MM-DD, datetimes as 2026-11-23T10:00:00.000+0000) so reads need no conversion.

import type { FieldDescribe } from './describe-types.js';
import { normalizeId } from './ids.js';
import { TEXT_TYPES } from './metadata/fields.js';
import { StoreError } from './store-error.js';

/** Salesforce's datetime format: milliseconds and a `+0000` offset. */
export function formatDateTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

const DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function parseError(typeName: string, value: unknown): StoreError {
  const token =
    typeof value === 'string'
      ? 'VALUE_STRING'
      : typeof value === 'boolean'
        ? `VALUE_${value}`.toUpperCase()
        : typeof value === 'number'
          ? 'VALUE_NUMBER_INT'
          : 'START_OBJECT';
  return new StoreError(
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${typeName} from ${token} value ${String(value)} or request may be missing a required field`,
  );
}

function parseNumber(f: FieldDescribe, value: unknown): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(n)) throw parseError(f.type === 'int' ? 'int' : 'double', value);
  if (f.type === 'int' && !Number.isInteger(n)) throw parseError('int', value);
  return n;
}

function validDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * The stored form of `value` for field `f`, or a StoreError. `null` passes through: whether a
 * null is allowed is the caller's decision (required-field rules differ on insert and update).
 */
export function coerceFieldValue(f: FieldDescribe, value: unknown): unknown {
  if (value === null) return null;
  switch (f.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw parseError('boolean', value);
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return parseNumber(f, value);
    case 'date': {
      const m = typeof value === 'string' ? DATE.exec(value) : null;
      if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw parseError('date', value);
      return value;
    }
    case 'datetime': {
      const m = typeof value === 'string' ? DATETIME.exec(value) : null;
      if (!m) throw parseError('datetime', value);
      const zone = m[3] === undefined || m[3] === 'Z' ? 'Z' : m[3].replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
      const ms = Date.parse(`${m[1]}T${m[2]}${zone}`);
      if (Number.isNaN(ms)) throw parseError('datetime', value);
      return formatDateTime(new Date(ms));
    }
    case 'time': {
      const m = typeof value === 'string' ? TIME.exec(value) : null;
      if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59)
        throw parseError('time', value);
      return `${m[1]}:${m[2]}:${m[3] ?? '00'}.${(m[4] ?? '').padEnd(3, '0')}Z`;
    }
    case 'reference':
    case 'id': {
      const id = typeof value === 'string' ? normalizeId(value) : undefined;
      if (!id) {
        throw new StoreError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${String(value)}`, {
          fields: [f.name],
        });
      }
      return id;
    }
    case 'base64':
      if (typeof value !== 'string') throw parseError('base64', value);
      return value;
    case 'address':
    case 'location':
    case 'anyType':
      return value;
    default: {
      if (!TEXT_TYPES.has(f.type)) return value;
      // Salesforce's deserializer turns JSON numbers and booleans into their text.
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw parseError('String', value);
      }
      const text = String(value);
      if (f.length > 0 && text.length > f.length) {
        throw new StoreError(
          'STRING_TOO_LONG',
          `${f.label}: data value too large: ${text.length > 64 ? `${text.slice(0, 64)}...` : text} (max length=${f.length})`,
          { fields: [f.name] },
        );
      }
      if (f.type === 'email' && text !== '' && !EMAIL.test(text)) {
        throw new StoreError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${text}`, {
          fields: [f.name],
        });
      }
      // An empty string clears a text field, as it does in Salesforce.
      return text === '' ? null : text;
    }
  }
}
