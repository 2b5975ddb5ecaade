// The package's errors: core's one class with `[@sf/pubsub]` as the prefix, and the gRPC
// status of a failed call classified into what a subscription should do about it.

import { type SalesforceError, type SalesforceErrorCode, salesforceError } from '@sf/core';

/** @internal core's `salesforceError` with this package as the source. */
export function pubsubError(
  code: SalesforceErrorCode,
  message: string,
  options: { cause?: unknown; errorCode?: string } = {},
): SalesforceError {
  return salesforceError('@sf/pubsub', code, message, options);
}

/** gRPC status codes this package reacts to (from @grpc/grpc-js's `status`). */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** What a failed call means for a long-lived subscription. */
export type FailureKind = 'auth' | 'replay-id' | 'transient' | 'fatal';

interface GrpcErrorLike {
  code?: number;
  details?: string;
  metadata?: { get(key: string): unknown[] };
}

/** Salesforce's `error-code` trailer (`sfdc.platform.eventbus.grpc...`), if the server sent one. */
export function sfdcErrorCode(error: unknown): string | undefined {
  const value = (error as GrpcErrorLike | null)?.metadata?.get?.('error-code')?.[0];
  return value === undefined ? undefined : String(value);
}

/**
 * Classifies a gRPC failure: an expired session (`UNAUTHENTICATED`, or Salesforce's auth
 * error code), a replay id the server cannot use (its `replayid` error codes), a failure worth
 * reconnecting after (`UNAVAILABLE`, `INTERNAL` as an `RST_STREAM` surfaces, `UNKNOWN`,
 * `DEADLINE_EXCEEDED`, `RESOURCE_EXHAUSTED`, `ABORTED`, a stream the server cancelled), or
 * anything else, which no retry can fix.
 */
export function classify(error: unknown): FailureKind {
  const code = (error as GrpcErrorLike | null)?.code;
  const sfdc = sfdcErrorCode(error)?.toLowerCase() ?? '';
  const details = String((error as GrpcErrorLike | null)?.details ?? '').toLowerCase();
  if (code === GrpcStatus.UNAUTHENTICATED || sfdc.includes('auth.error')) return 'auth';
  if (sfdc.includes('replayid') || (code === GrpcStatus.INVALID_ARGUMENT && details.includes('replay id')))
    return 'replay-id';
  switch (code) {
    case GrpcStatus.CANCELLED:
    case GrpcStatus.UNKNOWN:
    case GrpcStatus.DEADLINE_EXCEEDED:
    case GrpcStatus.RESOURCE_EXHAUSTED:
    case GrpcStatus.ABORTED:
    case GrpcStatus.INTERNAL:
    case GrpcStatus.UNAVAILABLE:
      return 'transient';
    default:
      return 'fatal';
  }
}

/** The SalesforceError for a gRPC failure, with the status and Salesforce's code kept. */
export function errorFromGrpc(error: unknown, what: string): SalesforceError {
  const code = (error as GrpcErrorLike | null)?.code;
  const details = String((error as GrpcErrorLike | null)?.details ?? (error as Error)?.message ?? '');
  const sfdc = sfdcErrorCode(error);
  const kind = classify(error);
  const ours: SalesforceErrorCode =
    kind === 'auth'
      ? 'AUTH_FAILED'
      : kind === 'replay-id'
        ? 'REPLAY_ID_INVALID'
        : code === GrpcStatus.NOT_FOUND
          ? 'NOT_FOUND'
          : code === GrpcStatus.PERMISSION_DENIED
            ? 'PERMISSION_DENIED'
            : code === GrpcStatus.INVALID_ARGUMENT
              ? 'INVALID_ARGUMENT'
              : kind === 'transient'
                ? 'NETWORK'
                : 'API_ERROR';
  return pubsubError(ours, `${what} failed (gRPC status ${code ?? '?'}): ${details}`, {
    cause: error,
    ...(sfdc === undefined ? {} : { errorCode: sfdc }),
  });
}
