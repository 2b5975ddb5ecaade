/** Error codes the SOQL and SOSL engines answer with, as Salesforce names them. */
export type SoqlErrorCode =
  | 'MALFORMED_QUERY'
  | 'MALFORMED_SEARCH'
  | 'INVALID_FIELD'
  | 'INVALID_TYPE'
  | 'INVALID_QUERY_FILTER_OPERATOR'
  | 'NUMBER_OUTSIDE_VALID_RANGE';

const BRAND = Symbol.for('@sf/emulator/SoqlError');

/**
 * A query Salesforce would reject. `errorCode` and `message` are what the REST API puts in its
 * error body (`[{ message, errorCode }]`), so the server can pass them on unchanged.
 *
 * @example
 * try { executeSoql(store, 'SELECT Foo FROM Account', opts) }
 * catch (e) { if (SoqlError.is(e)) res.status(400).json([{ message: e.message, errorCode: e.errorCode }]) }
 */
export class SoqlError extends Error {
  readonly errorCode: SoqlErrorCode;
  /** Same as `errorCode`, for code that reads the house-style `code` member. */
  readonly code: SoqlErrorCode;

  constructor(errorCode: SoqlErrorCode, message: string) {
    super(message);
    this.name = 'SoqlError';
    this.errorCode = errorCode;
    this.code = errorCode;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** `instanceof` that survives two installed copies of the package. */
  static is(value: unknown): value is SoqlError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/**
 * Salesforce prefixes query errors with the offending line, a caret and the position:
 * "\nSELECT Foo FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column ...".
 */
export function positioned(query: string, index: number, detail: string): string {
  const at = Math.max(0, Math.min(index, query.length));
  const before = query.slice(0, at);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  let lineEnd = query.indexOf('\n', at);
  if (lineEnd === -1) lineEnd = query.length;
  const column = at - lineStart + 1;
  return `\n${query.slice(lineStart, lineEnd)}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${detail}`;
}

/** Where a token first appears as a whole word (case-insensitive), after `from`; 0 if absent. */
export function indexOfToken(query: string, token: string, from = 0): number {
  if (token === '') return 0;
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(^|[^A-Za-z0-9_])(${escaped})(?![A-Za-z0-9_])`, 'gi');
  re.lastIndex = from;
  const m = re.exec(query);
  if (m) return m.index + m[1]!.length;
  return from > 0 ? indexOfToken(query, token, 0) : 0;
}

/** Throws a positioned SoqlError pointing at `token` in `query`. */
export function failAt(code: SoqlErrorCode, query: string, token: string, detail: string, from = 0): never {
  throw new SoqlError(code, positioned(query, indexOfToken(query, token, from), detail));
}
