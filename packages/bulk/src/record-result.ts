// One per-record result for both Bulk APIs (CONVENTIONS.md rule 3): core's RecordResult
// `{ id, success, created?, errors: RecordError[], index? }`, re-exported, and the parsing of
// Bulk's CSV error text into core's RecordErrors.

import type { RecordError } from '@sf/core';

export type { RecordError, RecordResult } from '@sf/core';

/**
 * A {@link RecordError} whose `toString()` is `CODE: message`, so that code written for
 * node-salesforce's string errors (`rets[i].errors.join(', ')`, in its README under
 * `shared/seeds/`) prints the errors rather than `[object Object]`.
 */
class ParsedRecordError implements RecordError {
  errorCode: string;
  message: string;
  fields: string[];

  constructor(errorCode: string, message: string, fields: string[]) {
    this.errorCode = errorCode;
    this.message = message;
    this.fields = fields;
  }

  toString(): string {
    return `${this.errorCode}: ${this.message}`;
  }
}

/** @internal A {@link RecordError} (printing as `CODE: message`). */
export function recordError(errorCode: string, message: string, fields: readonly string[] = []): RecordError {
  return new ParsedRecordError(errorCode, message, [...fields]);
}

function parseOne(text: string): RecordError {
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  if (first <= 0) return recordError('UNKNOWN_EXCEPTION', text);
  const errorCode = text.slice(0, first);
  if (last === first) return recordError(errorCode, text.slice(first + 1));
  const fields = text.slice(last + 1).trim();
  return recordError(
    errorCode,
    text.slice(first + 1, last),
    fields === '' ? [] : fields.split(',').map((f) => f.trim()),
  );
}

/**
 * Parses a CSV result's error text (Bulk 2.0's `sf__Error`, Bulk 1.0's `Error` column):
 * `CODE:message:Field1,Field2 --`, one or more (each ended by `--`). Empty text is no error.
 *
 * @example
 * parseRecordErrors('REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --');
 * // [{ errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] }]
 */
export function parseRecordErrors(text: string): RecordError[] {
  const body = text.trim();
  if (body === '') return [];
  // Errors are separated by ` --` where the next one starts with its code.
  return body
    .replace(/\s*--\s*$/, '')
    .split(/\s+--\s+(?=[A-Z][A-Z0-9_]*:)/)
    .map(parseOne);
}
