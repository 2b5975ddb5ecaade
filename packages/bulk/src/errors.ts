import { SalesforceError, type SalesforceErrorOptions } from '@sf/core';

/** Codes this package adds to core's. */
export type BulkErrorCode = 'JOB_FAILED' | 'JOB_ABORTED' | 'BATCH_FAILED' | 'ROW_TOO_LARGE';

/** A SalesforceError from @sf/bulk (message prefixed `[@sf/bulk]`). */
export function bulkError(
  message: string,
  options: Omit<SalesforceErrorOptions, 'source'> & { code: SalesforceErrorOptions['code'] | BulkErrorCode },
): SalesforceError {
  return new SalesforceError(message, { ...options, source: '@sf/bulk' });
}

export const SOURCE = '@sf/bulk';
