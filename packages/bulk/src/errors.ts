import { SalesforceError, type SalesforceErrorOptions } from '@sf/core';

/** Codes this package adds to core's. */
export type BulkErrorCode = 'JOB_FAILED' | 'JOB_ABORTED' | 'BATCH_FAILED' | 'ROW_TOO_LARGE' | 'INPUT_FAILED';

/** What was already sent when the input failed: a job (Bulk 2.0) or a batch (Bulk 1.0) and its rows. */
export interface SentPart {
  jobId: string;
  batchId?: string;
  rows: number;
}

/**
 * The error for an input that failed after some rows were sent in whole jobs or batches, which
 * Salesforce processes: `cause` is the input's own error; `details` name each part sent
 * (`errorCode: 'SENT'`, with `jobId`, `batchId` for Bulk 1.0, and `rows`), so that its results
 * can be read by re-attaching.
 */
export function inputFailed(cause: unknown, sent: readonly SentPart[]): SalesforceError {
  const rows = sent.reduce((n, p) => n + p.rows, 0);
  const where = sent
    .map((p) => (p.batchId ? `batch ${p.batchId} of job ${p.jobId}` : `job ${p.jobId}`))
    .join(', ');
  const reason = cause instanceof Error ? cause.message : String(cause);
  return bulkError(
    `the input failed after ${rows} rows were sent (${where}); Salesforce processes those: ${reason}`,
    {
      code: 'INPUT_FAILED',
      cause,
      details: sent.map((p) => ({
        errorCode: 'SENT',
        message: `${p.rows} rows in ${p.batchId ? `batch ${p.batchId} of job ${p.jobId}` : `job ${p.jobId}`}`,
        ...p,
      })),
    },
  );
}

/** A SalesforceError from @sf/bulk (message prefixed `[@sf/bulk]`). */
export function bulkError(
  message: string,
  options: Omit<SalesforceErrorOptions, 'source'> & { code: SalesforceErrorOptions['code'] | BulkErrorCode },
): SalesforceError {
  return new SalesforceError(message, { ...options, source: '@sf/bulk' });
}

export const SOURCE = '@sf/bulk';
