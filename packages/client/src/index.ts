export type { ClientOptions } from './client-options.js';
export type {
  Bulk2Methods,
  ClientEvents,
  PubSubMethods,
  RestMethods,
  SalesforceClient,
  Topic,
  ToolingClient,
  UserInfo,
} from './client-types.js';
export { createClient } from './create-client.js';
// The few helpers a one-import app needs beside the client (node-salesforce's `sf.Date`,
// the SOQL and SOSL tags, trusted filters, the error class and its check).
export { isSalesforceError, SalesforceError } from '@sf/core';
export { SoqlDate, soql, sosl, trusted } from '@sf/query';
