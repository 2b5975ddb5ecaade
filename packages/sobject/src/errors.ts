import { SalesforceError, type SalesforceErrorCode } from '@sf/core';

export const SOURCE = '@sf/sobject';

/** A SalesforceError raised by this package (message prefixed `[@sf/sobject]`). */
export function sobjectError(
  message: string,
  code: SalesforceErrorCode,
  extra: {
    cause?: unknown;
    errorCode?: string;
    fields?: string[];
    details?: SalesforceError['details'];
  } = {},
): SalesforceError {
  return new SalesforceError(message, { code, source: SOURCE, ...extra });
}

export function invalidArgument(message: string): SalesforceError {
  return sobjectError(message, 'INVALID_ARGUMENT');
}

/** `{ signal, timeoutMs }` without undefined members (exactOptionalPropertyTypes). */
export function callOptions(
  options: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined } = {},
): {
  signal?: AbortSignal;
  timeoutMs?: number;
  source: string;
} {
  return {
    source: SOURCE,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  };
}
