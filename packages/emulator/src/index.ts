export type { BuiltInUser, EmulatorContext, EmulatorCredentials, EmulatorModule } from './context.js';
export type {
  ChildRelationship,
  FieldDescribe,
  FieldType,
  PicklistValue,
  SObjectDescribe,
  SoqlDataSource,
} from './describe-types.js';
export {
  type Emulator,
  type EmulatorOptions,
  type IssuedToken,
  type RequestLogEntry,
  startEmulator,
} from './emulator.js';
export { FaultController, type FaultKind, type FaultScope } from './faults.js';
export {
  bearerToken,
  HttpError,
  readBody,
  readForm,
  readJson,
  readJsonObject,
  type SalesforceErrorEntry,
  sendEmpty,
  sendErrors,
  sendJson,
  sendText,
} from './http-util.js';
export { idChecksum, normalizeId } from './ids.js';
export type { CustomFieldDefinition, CustomObjectDefinition } from './metadata/custom-objects.js';
export { type RestContext, restRoute } from './rest-guard.js';
export type { QueryRouteOptions } from './routes/query.js';
export { type RequestContext, type RouteHandler, Router } from './router.js';
export type { Session } from './sessions.js';
export { StoreError } from './store-error.js';
export {
  type ApexLogFields,
  EmulatorTooling,
  type ExecuteAnonymousAnswer,
  type ExecuteAnonymousHandler,
  type ExecuteAnonymousResult,
} from './tooling/emulator-tooling.js';
export { OrgStore, type OrgStoreOptions, type RecordChange, type Row, type WriteOptions } from './store.js';
export { type BulkSettings, bulkSettings } from './bulk/common.js';
export type { ApexRestHandler, ApexRestRequest } from './routes/apex-rest.js';
export {
  EmulatorStreaming,
  type PlatformEventDefinition,
  type StreamingOptions,
} from './streaming/streaming.js';
export type { RetentionOptions } from './streaming/replay-buffer.js';
export type { EmulatorStreamingOptions, PlatformEventOption } from './platform-event-options.js';
export { README_FIXTURE } from './readme-fixture.js';
