export {
  type AuthContext,
  type AuthStrategy,
  type Credentials,
  isAuthStrategy,
  sessionIdAuth,
  tokenAuth,
} from './auth-strategy.js';
export { AuthSession, type AuthSessionOptions } from './auth-session.js';
export type { CallOptions } from './call-options.js';
export { type Backoff, type BackoffOptions, backoff, computeBackoff } from './backoff.js';
export {
  BODY_LIMIT_DEFAULTS,
  type BodyLimits,
  bodyLimitsFor,
  bodyTimeoutFor,
  type ReadBodyOptions,
  readBodyText,
} from './body-limits.js';
export { assertConnection } from './connection-check.js';
export { type OldConnectionOptionsCheck, refuseOldConnectionOptions } from './connection-options-check.js';
export {
  type Connection,
  type ConnectionEvents,
  type ConnectionOptions,
  createConnection,
  DEFAULT_API_VERSION,
  normalizeApiVersion,
  type RequestOptions,
} from './connection.js';
export {
  abortReason,
  describeUrl,
  isSalesforceError,
  redact,
  SalesforceError,
  type SalesforceErrorCode,
  type SalesforceErrorDetail,
  type SalesforceErrorExtras,
  type SalesforceErrorOptions,
  salesforceError,
  throwIfAborted,
} from './errors.js';
export {
  Emitter,
  type EmitterOptions,
  type ErrorEmitter,
  reportError,
  warnUnknownEvent,
} from './events.js';
export { type Deferred, deferred } from './deferred.js';
export { defaultTransport } from './default-transport.js';
export { createFetchTransport, type FetchTransportOptions } from './fetch-transport.js';
export {
  codeForStatus,
  type ErrorBodyOptions,
  errorFromResponse,
  parseErrorArray,
  parseXmlError,
  readLimitedText,
} from './http-errors.js';
export { type ApiUsage, type LimitInfo, parseLimitInfo } from './limits.js';
export { authHeaderMiddleware, refreshOn401Middleware } from './middleware/auth.js';
export { limitsMiddleware } from './middleware/limits.js';
export { type LogEntry, type Logger, loggerMiddleware } from './middleware/logger.js';
export {
  isIdempotent,
  parseRetryAfter,
  type RetryOptions,
  retryMiddleware,
  sleep,
} from './middleware/retry.js';
export { callbackRefused, promiseForm, refuseCallback, USE_AWAIT } from './refuse-callback.js';
export {
  type ArgumentRules,
  CREDENTIAL_OPTION_KEYS,
  credentialsRefused,
  refuseCredentials,
  refuseOldArguments,
  TOKEN_RESPONSE_KEYS,
  USE_WITH_AUTH,
} from './refuse-credentials.js';
export type { RecordError, RecordResult, SObjectRecord } from './record-result.js';
export { isReplayableBody } from './replayable.js';
export { createMemoryReplayStore, type ReplayStore } from './replay-store.js';
export { createTransportResponse, normalizeHeaders, type ResponseParts } from './response.js';
export {
  composeMiddleware,
  type Middleware,
  type RequestBody,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from './transport.js';
export { createUndiciTransport } from './undici-entry.js';
export type { UndiciTransportOptions } from './undici-transport.js';
