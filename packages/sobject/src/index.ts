export { type ApexCallOptions, type ApexClient, type ApexRestRequest, apex, apexRest } from './apex-rest.js';
export {
  type BlobData,
  type BlobOptions,
  blobFieldOf,
  blobStream,
  openBlob,
  pipeBlob,
  type UploadOptions,
  uploadBlob,
} from './blob.js';
export { COLLECTION_LIMIT } from './collections.js';
export {
  type BatchResult,
  type CompositeBatchResult,
  type BatchSubrequest,
  COMPOSITE_LIMIT,
  type CompositeOptions,
  type CompositeSubrequest,
  type CompositeSubresponse,
  composite,
  compositeBatch,
  compositeGraph,
  GRAPH_NODE_LIMIT,
  type Graph,
  type GraphResult,
  sobjectTree,
  TREE_LIMITS,
  type TreeRecord,
  type TreeResult,
} from './composite.js';
export {
  clearDescribeCache,
  type DescribeField,
  type DescribeGlobalResult,
  type DescribeOptions,
  type DescribeSObjectResult,
  describe,
  describeGlobal,
} from './describe.js';
export { generateTypes, generateTypesFor } from './generate-types.js';
export {
  type BasicInfo,
  basicInfo,
  type DeletedResult,
  deleted,
  getUrl,
  recent,
  type UpdatedResult,
  updated,
} from './rest-resources.js';
export {
  type RecordHandle,
  type RecordInput,
  type RecordRef,
  type Retrieved,
  type RetrieveOptions,
  type SObject,
  sobject,
} from './sobject.js';
export {
  createRecord,
  type TrackedRecord,
  type TrackedRecordMethods,
  trackRecord,
} from './tracked-record.js';
export { type ExecuteAnonymousResult, executeAnonymous } from './tooling.js';
export type {
  CallOptions,
  CollectionOptions,
  RecordError,
  SaveResult,
  SaveSuccess,
  SObjectRecord,
} from './types.js';
