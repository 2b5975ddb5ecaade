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
