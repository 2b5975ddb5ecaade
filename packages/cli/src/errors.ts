// How a failure reaches the person at the terminal: one line (code, message, what to do), or
// one JSON object under --json, and an exit code a script can branch on.
import { isSalesforceError, type SalesforceErrorCode, salesforceError } from '@sf/core';

export const SOURCE = '@sf/cli';

/**
 * Exit codes (documented in the README):
 * 0 done; 1 the command failed; 2 bad usage or input; 3 a bulk job finished but some rows
 * failed or were not processed; 4 not logged in or the session was refused; 130 interrupted.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, rowsFailed: 3, auth: 4, interrupted: 130 } as const;

/** A `SalesforceError` from the CLI itself, message prefixed `[@sf/cli]`. */
export function cliError(code: SalesforceErrorCode, message: string, cause?: unknown) {
  return salesforceError(SOURCE, code, message, cause === undefined ? {} : { cause });
}

const HINTS: Partial<Record<SalesforceErrorCode, string>> = {
  AUTH_FAILED: 'log in: sfx login --alias NAME',
  INVALID_ARGUMENT: 'check the command line: sfx help COMMAND',
  NOT_FOUND: 'check the name or id (sfx describe OBJECT lists fields)',
  LIMIT_EXCEEDED: 'wait for the org limit to reset: sfx limits',
  TIMEOUT: 'try again, or raise --timeout',
  NETWORK: 'check the instance URL and your network',
  JOB_FAILED: 'read the job message above; fix the input and run it again',
  JOB_ABORTED: 'the job was aborted; start it again',
  PERMISSION_DENIED: 'ask your admin for access to this object or API',
};

export interface ErrorReport {
  code: string;
  message: string;
  hint?: string;
  errorCode?: string;
  status?: number;
}

/** The error as the CLI reports it: code, message, and what to do. */
export function errorReport(error: unknown): ErrorReport {
  if (isSalesforceError(error)) {
    const hint = HINTS[error.code];
    return {
      code: error.code,
      message: error.message,
      ...(hint ? { hint } : {}),
      ...(error.errorCode ? { errorCode: error.errorCode } : {}),
      ...(error.status ? { status: error.status } : {}),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'UNEXPECTED', message: `[${SOURCE}] ${message}` };
}

/** The exit code for an error. */
export function exitCodeFor(error: unknown): number {
  if (isSalesforceError(error)) {
    if (error.code === 'INVALID_ARGUMENT' || error.code === 'CSV_PARSE') return EXIT.usage;
    if (error.code === 'AUTH_FAILED') return EXIT.auth;
  }
  return EXIT.failed;
}
