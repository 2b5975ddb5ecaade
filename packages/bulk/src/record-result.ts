// One per-record result for both Bulk APIs (CONVENTIONS.md rule 3), the shape @sf/sobject's
// SaveResult has: `{ id, success, created?, errors: RecordError[], index? }`.

/** One error of a record, as Salesforce's REST error entries give it. */
export interface RecordError {
  /** Salesforce's code: `REQUIRED_FIELD_MISSING`, `DUPLICATE_VALUE`... */
  errorCode: string;
  message: string;
  fields: string[];
}

/** The outcome of one record. */
export interface RecordResult {
  /** The record's id; null when it failed and had none. */
  id: string | null;
  success: boolean;
  /** Whether the record was inserted (an upsert may update instead). */
  created?: boolean;
  errors: RecordError[];
  /** The record's position in the input (from 0), where the API lets us know it. */
  index?: number;
}

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
