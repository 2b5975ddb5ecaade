import { type SalesforceError, salesforceError } from '@sf/core';

/** The codes this package throws, all members of `@sf/core`'s `SalesforceErrorCode`. */
export type RecordStreamErrorCode =
  /** The CSV input is malformed (unclosed quote, wrong number of fields, duplicate header). */
  | 'CSV_PARSE'
  /** A function of this package was called with an argument it cannot use. */
  | 'INVALID_ARGUMENT'
  /** A record cannot travel through a stream: `null`/`undefined`, not an object, or conflicting fields. */
  | 'INVALID_RECORD';

/** Options of {@link recordStreamError}. */
export interface RecordStreamErrorOptions {
  /** The underlying error, when one exists (for example csv-parse's `CsvError`). */
  cause?: unknown;
  /** The 1-based line of the CSV input the error is about. */
  line?: number;
}

/**
 * This package's failures are `SalesforceError`s from `@sf/core`, like every other package's
 * (one `catch` branch for the whole toolkit): a `code` to switch on, `cause`, and for CSV input
 * the `line`; the message starts with `[@sf/record-stream]`.
 *
 * @example
 * ```ts
 * try {
 *   for await (const row of fromCSV(text)) console.log(row);
 * } catch (error) {
 *   if (isSalesforceError(error, 'CSV_PARSE')) console.error(error.line);
 * }
 * ```
 */
export function recordStreamError(
  code: RecordStreamErrorCode,
  message: string,
  options: RecordStreamErrorOptions = {},
): SalesforceError {
  return salesforceError('@sf/record-stream', code, message, {
    ...('cause' in options ? { cause: options.cause } : {}),
    ...(options.line === undefined ? {} : { line: options.line }),
  });
}
