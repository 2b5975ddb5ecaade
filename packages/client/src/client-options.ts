// What createClient takes: everything createConnection takes, the login settings of @sf/auth,
// node-salesforce's connection options as documented aliases, and per-family defaults.

import type { Environment, OAuth2Client, OAuth2ClientOptions } from '@sf/auth';
import type { Bulk1Options, SwitchOptions } from '@sf/bulk';
import type { ConnectionOptions } from '@sf/core';
import type { PubSubClientOptions } from '@sf/pubsub';
import type { StreamingClientOptions } from '@sf/streaming';

/**
 * The options of {@link createClient}: `createConnection`'s (`instanceUrl`, `auth`,
 * `apiVersion`, `transport`, `retry`, `timeoutMs`, ...) plus how `login()` logs in and the
 * defaults of the feature families.
 */
export interface ClientOptions extends ConnectionOptions {
  /**
   * The connected app: an `OAuth2Client` from @sf/auth, or its options. With it, `login()` uses
   * the OAuth 2.0 username-password flow, `authorize(code)` the web-server flow, `logout()`
   * revokes the token, and `refreshToken` renews. Without it, `login()` is SOAP `login()`.
   */
  oauth2?: OAuth2Client | OAuth2ClientOptions;
  /** Where `login()` goes (a login host or My Domain URL). Default: the OAuth2 client's, or production. */
  loginUrl?: string;
  /** `production` (login.salesforce.com) or `sandbox` (test.salesforce.com), when no `loginUrl`. */
  environment?: Environment;
  /**
   * node-salesforce's name (its README, `shared/seeds/`): the same as `auth: accessToken`, or with
   * `refreshToken` and `oauth2`, a connection that renews itself.
   */
  accessToken?: string;
  /** node-salesforce's: renews `accessToken` through `oauth2` (needs `oauth2`). */
  refreshToken?: string;
  /** node-salesforce's: a SOAP session id, used as an access token (with `serverUrl`). */
  sessionId?: string;
  /** node-salesforce's: the SOAP server URL; its origin is the `instanceUrl`. */
  serverUrl?: string;
  /**
   * Defaults for `sf.bulk` (Bulk API 1.0: `pollIntervalMs`, `pollTimeoutMs`) and for the bulk
   * methods of `sf.sobject(type)` and `sf.bulk2` (every `load()` option, `bulkThreshold`).
   */
  bulk?: Bulk1Options & SwitchOptions;
  /** Options of the shared `sf.streaming` client and of each `sf.subscribe()`'s own client. */
  streaming?: StreamingClientOptions;
  /** Options of `sf.pubsub`'s client (`endpoint`, `longs`, `channelOptions`). */
  pubsub?: PubSubClientOptions;
}
