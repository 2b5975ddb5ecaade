// Starts the emulator: one node:http server on 127.0.0.1, the org store, the token registry
// and the route modules. Requests pass through logging, injected latency and faults, then
// the router.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorContext, EmulatorCredentials, EmulatorModule } from './context.js';
import { applyFault, FaultController } from './faults.js';
import { type AllowedHosts, hostAllowed, hostPolicy, refuseHost } from './host-check.js';
import { HttpError, NOT_FOUND, sendErrors, sendJson, sendText } from './http-util.js';
import type { CustomObjectDefinition } from './metadata/custom-objects.js';
import { seedStandardFolders } from './metadata/standard-folders.js';
import { authenticate } from './rest-guard.js';
import { Router } from './router.js';
import { bulk1Routes } from './routes/bulk1.js';
import { bulk2Routes } from './routes/bulk2.js';
import { identityRoutes } from './routes/identity.js';
import { registerJwtKey } from './routes/jwt-bearer.js';
import { oauthRoutes, type RedirectUris, tokenResponse } from './routes/oauth.js';
import { soapLoginRoutes } from './routes/soap-login.js';
import { type QueryRouteOptions, queryRoutes } from './routes/query.js';
import { restRootRoutes } from './routes/rest-root.js';
import { sobjectRoutes } from './routes/sobjects.js';
import { type ApexRestHandler, ApexRestRegistry, apexRestRoutes } from './routes/apex-rest.js';
import { collectionRoutes } from './routes/collections.js';
import { compositeRoutes } from './routes/composite.js';
import { recentUpdatedDeletedRoutes } from './routes/recent-updated-deleted.js';
import { describeSubresourceRoutes } from './routes/describe-subresources.js';
import { uiResourceRoutes } from './routes/ui-resources.js';
import { SessionRegistry } from './sessions.js';
import { StoreError } from './store-error.js';
import { type EmulatorStreamingOptions, streamingOptions } from './platform-event-options.js';
import { EmulatorStreaming } from './streaming/streaming.js';
import { OrgStore } from './store.js';
import { EmulatorTooling } from './tooling/emulator-tooling.js';
import { toolingObjects } from './tooling/tooling-objects.js';
import { toolingRoutes } from './routes/tooling.js';
import type { EmulatorPubSub, PubSubOptions } from './pubsub/pubsub-server.js';
import { startPubSub } from './pubsub/start.js';

export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The newest API version served, such as `'64.0'` (the default). Older versions down to 20.0 work too. */
  apiVersion?: string;
  /** Access token lifetime; 7200 (two hours, Salesforce's default session timeout) by default. */
  tokenLifetimeSeconds?: number;
  /** Custom objects the org has from the start. */
  customObjects?: CustomObjectDefinition[];
  /** The org's daily API request limit, reported by /limits and Sforce-Limit-Info; 15000 by default. */
  dailyApiRequestLimit?: number;
  /** Replace any of the built-in user's login and the connected app's keys. */
  credentials?: Partial<EmulatorCredentials>;
  /** More route modules (Apex REST handlers, say), registered after the built-in ones. */
  modules?: EmulatorModule[];
  /**
   * Public key (PEM) or X.509 certificate (PEM) of the connected app, for the JWT bearer grant;
   * more can be added with `registerJwtKey`.
   */
  jwtPublicKey?: string | Buffer;
  /** CometD: long-poll timeout, replay retention, change events, platform events. */
  streaming?: EmulatorStreamingOptions;
  /**
   * The Pub/Sub API over gRPC (insecure h2c on 127.0.0.1, its own port): `true`, or options
   * (port, keepalive interval, platform event field types, managed subscriptions).
   */
  pubsub?: boolean | PubSubOptions;
  /** Query cursors: inactivity timeout (`ttlMs`, 15 minutes by default) and child page size. */
  query?: QueryRouteOptions;
  /**
   * Host names answered besides 127.0.0.1, localhost and [::1] (any port), such as
   * `['emulator.internal']` behind a proxy; `'*'` answers any Host. Others get 403, which keeps
   * web pages on other sites out (DNS rebinding).
   */
  allowedHosts?: AllowedHosts;
  /**
   * Redirect URIs `/services/oauth2/authorize` may send a code to, matched exactly, as a
   * connected app's callback URLs. Default `'loopback'`: any http(s) URI on 127.0.0.1,
   * localhost or [::1]. `'*'` allows any (tests only).
   */
  redirectUris?: RedirectUris;
  /** Each refresh answers a new refresh token and the old one stops working (Salesforce's refresh token rotation). */
  rotateRefreshTokens?: boolean;
}

/** One handled request; `status` is 0 while pending and for connections reset by a fault. */
export interface RequestLogEntry {
  method: string;
  /** The path without the query string. */
  path: string;
  status: number;
  /** The injected fault that answered it, if any. */
  fault?: string;
}

/** Tokens for the built-in user, issued without an HTTP round trip. */
export interface IssuedToken {
  accessToken: string;
  refreshToken: string;
  instanceUrl: string;
  /** Identity URL: `{url}/id/{orgId}/{userId}`. */
  id: string;
  /** Epoch milliseconds as a string, as the token endpoint's `issued_at`. */
  issuedAt: string;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT`: the login URL and the instance URL both. */
  readonly url: string;
  readonly instanceUrl: string;
  readonly loginUrl: string;
  readonly port: number;
  readonly apiVersion: string;
  readonly orgId: string;
  readonly credentials: Readonly<EmulatorCredentials>;
  readonly store: OrgStore;
  readonly faults: FaultController;
  /** Streaming API: platform event definitions, publishing, and its fault injection. */
  readonly streaming: EmulatorStreaming;
  /** The Pub/Sub API server and its fault injection, when started with `pubsub`. */
  readonly pubsub: EmulatorPubSub | undefined;
  /** The Tooling API root (`/services/data/vNN.N/tooling/`): its store, debug logs, executeAnonymous answers. */
  readonly tooling: EmulatorTooling;
  /** `http://127.0.0.1:PORT` of the Pub/Sub API (gRPC, insecure), when started with `pubsub`. */
  readonly pubsubUrl: string | undefined;
  /** Log of handled requests, oldest first (the newest 10,000 are kept). */
  readonly requests: readonly RequestLogEntry[];
  resetRequests(): void;
  /**
   * Registers an Apex REST handler for `/services/apexrest{path}` (`:name` and a trailing `*`
   * match segments), as an org's `@RestResource` class would answer.
   */
  apexRest(method: string, path: string, handler: ApexRestHandler): void;
  /** Tokens (with a refresh token) for the admin user, or for `userId`. */
  issueToken(options?: { userId?: string }): IssuedToken;
  /** Registers a public key or X.509 certificate (PEM) for JWT bearer assertions, as uploading one to a connected app does. */
  registerJwtKey(pem: string | Buffer): void;
  /** Stops listening and closes every connection, idle or not. */
  close(): Promise<void>;
}

const DEFAULT_CREDENTIALS: EmulatorCredentials = {
  username: 'admin@emulator.example.com',
  password: 'emulator-password',
  securityToken: 'Emu1atorSecurityToken024',
  clientId: '3MVG9EmulatorConnectedAppConsumerKey0000000000000000000000000000000000000000000000000',
  clientSecret: 'E0A1B2C3D4E5F60718293A4B5C6D7E8F9A0B1C2D3E4F5061728394A5B6C7D8E9',
};

const MAX_LOG = 10_000;
/** Salesforce answers 414 past this many bytes of URL. */
const MAX_URL_BYTES = 16_384;

function seedOrg(store: OrgStore, credentials: EmulatorCredentials) {
  const sys = { asSystem: true };
  store.insert(
    'Organization',
    {
      Id: store.orgId,
      Name: 'Emulator Org',
      OrganizationType: 'Developer Edition',
      InstanceName: 'EMU1',
      IsSandbox: false,
    },
    sys,
  );
  const admin = store.insert(
    'User',
    {
      Id: store.defaultUserId,
      Username: credentials.username,
      FirstName: 'Admin',
      LastName: 'User',
      Email: 'admin@emulator.example.com',
      Alias: 'admin',
      UserType: 'Standard',
    },
    sys,
  );
  const integration = store.insert(
    'User',
    {
      Username: 'integration@emulator.example.com',
      FirstName: 'Integration',
      LastName: 'User',
      Email: 'integration@emulator.example.com',
      Alias: 'integ',
      UserType: 'Standard',
    },
    sys,
  );
  seedStandardFolders(store);
  return {
    admin: { userId: admin, username: credentials.username },
    integration: { userId: integration, username: 'integration@emulator.example.com' },
  };
}

/**
 * Starts a Salesforce-compatible server on 127.0.0.1.
 *
 * @example
 * const emu = await startEmulator({ customObjects: [{ name: 'Invoice__c', fields: [{ name: 'Amount__c', type: 'currency' }] }] });
 * const { accessToken } = emu.issueToken();
 * await fetch(`${emu.url}/services/data/v64.0/sobjects/Account`, {
 *   method: 'POST',
 *   headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
 *   body: JSON.stringify({ Name: 'Acme' }),
 * });
 * await emu.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const apiVersion = options.apiVersion ?? '64.0';
  if (!/^\d{2,3}\.0$/.test(apiVersion)) {
    throw new TypeError(`[@sf/emulator] apiVersion must look like '64.0', got '${apiVersion}'`);
  }
  const credentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const hosts = hostPolicy(options.allowedHosts);
  const store = new OrgStore({ apiVersion, customObjects: options.customObjects ?? [] });
  const users = seedOrg(store, credentials);
  const sessions = new SessionRegistry(store.orgId, options.tokenLifetimeSeconds ?? 7200);
  const faults = new FaultController(sessions);
  const router = new Router();
  const apexRest = new ApexRestRegistry();
  const tooling = new EmulatorTooling(new OrgStore({ apiVersion, standardObjects: toolingObjects }));
  const ctx: EmulatorContext = {
    router,
    store,
    sessions,
    apiVersion,
    url: '',
    credentials,
    users,
    apiUsage: { used: 0, max: options.dailyApiRequestLimit ?? 15000 },
  };
  for (const register of [
    oauthRoutes({
      ...(options.redirectUris === undefined ? {} : { redirectUris: options.redirectUris }),
      rotateRefreshTokens: options.rotateRefreshTokens === true,
    }),
    soapLoginRoutes,
    identityRoutes,
    restRootRoutes,
    // Before sobjectRoutes: `/sobjects/{Obj}/updated` must not read as a record id.
    recentUpdatedDeletedRoutes,
    describeSubresourceRoutes,
    uiResourceRoutes,
    collectionRoutes,
    compositeRoutes,
    apexRestRoutes(apexRest),
    sobjectRoutes,
    queryRoutes(options.query),
    bulk2Routes(),
    bulk1Routes(),
    toolingRoutes(tooling, options.query),
    ...(options.modules ?? []),
  ]) {
    register(ctx);
  }
  if (options.jwtPublicKey !== undefined) registerJwtKey(ctx, options.jwtPublicKey);

  const streaming = new EmulatorStreaming(ctx, streamingOptions(options.streaming));
  const pubsub = options.pubsub
    ? await startPubSub(ctx, streaming, options.pubsub, options.streaming?.platformEvents)
    : undefined;
  const requests: RequestLogEntry[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', ctx.url);
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: RequestLogEntry = { method, path: url.pathname, status: 0 };
    requests.push(entry);
    if (requests.length > MAX_LOG) requests.splice(0, requests.length - MAX_LOG);
    // The status is recorded as headers go out, so a test that awaited the response sees it.
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = ((...args: unknown[]) => {
      entry.status = args[0] as number;
      return writeHead(...args);
    }) as typeof res.writeHead;
    if (!hostAllowed(req, hosts)) {
      refuseHost(req, res);
      return;
    }

    const delay = faults.delayFor(url.pathname);
    if (delay > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, delay);
        timers.add(timer);
      });
      if (res.destroyed) return;
    }
    const fault = faults.take(url.pathname);
    if (fault !== undefined) {
      entry.fault = typeof fault === 'string' ? fault : `status ${fault.status}`;
      entry.status = applyFault(fault, req, res);
      return;
    }

    const rc = { req, res, url, method, params: {} as Record<string, string> };
    try {
      if (Buffer.byteLength(req.url ?? '') > MAX_URL_BYTES) {
        throw new HttpError(414, [{ errorCode: 'URI_TOO_LONG', message: 'Request-URI Too Long' }]);
      }
      if (await streaming.handle(rc)) return;
      const match = router.match(method, url.pathname);
      if (match.kind === 'found') {
        rc.params = match.params;
        await match.handler(rc);
      } else {
        // Under /services/data a bad token is reported before a bad path, as Salesforce does.
        if (url.pathname.startsWith('/services/data/v')) authenticate(ctx, rc);
        if (match.kind === 'method-not-allowed') {
          throw new HttpError(
            405,
            [
              {
                errorCode: 'METHOD_NOT_ALLOWED',
                message: `HTTP Method '${method}' not allowed. Allowed are ${match.allowed.join(',')}`,
              },
            ],
            { allow: match.allowed.join(', ') },
          );
        }
        throw new HttpError(404, [NOT_FOUND]);
      }
    } catch (error) {
      sendError(res, error);
    } finally {
      // A handler that failed before reading the body must not leave the upload pending.
      if (!req.complete) req.resume();
    }
  };

  const server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  ctx.url = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: ctx.url,
    instanceUrl: ctx.url,
    loginUrl: ctx.url,
    port,
    apiVersion,
    orgId: store.orgId,
    credentials,
    store,
    faults,
    streaming,
    pubsub,
    pubsubUrl: pubsub?.url,
    tooling,
    requests,
    apexRest: (method, path, handler) => apexRest.add(method, path, handler),
    resetRequests: () => {
      requests.length = 0;
    },
    registerJwtKey: (pem) => registerJwtKey(ctx, pem),
    issueToken: (opts = {}) => {
      const userId = opts.userId ?? users.admin.userId;
      const session = sessions.issue(userId, credentials.clientId, { refresh: true });
      const body = tokenResponse(ctx, session);
      return {
        accessToken: session.accessToken,
        refreshToken: session.refreshToken ?? '',
        instanceUrl: ctx.url,
        id: body.id ?? '',
        issuedAt: String(session.issuedAt),
      };
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        streaming.close();
        pubsub?.close();
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** The client went away mid-request (an upload it cancelled): nobody to answer, nothing wrong here. */
function clientGone(res: ServerResponse, error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const socket = res.socket;
  return (
    socket === null ||
    socket.destroyed ||
    code === 'ECONNRESET' ||
    (error instanceof Error && error.message === 'aborted')
  );
}

function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent || clientGone(res, error)) {
    res.destroy();
    return;
  }
  if (error instanceof StoreError) {
    sendErrors(res, error.status, [error.toJSON()]);
  } else if (error instanceof HttpError) {
    if (typeof error.body === 'string') {
      const contentType = String(error.headers['content-type'] ?? 'text/plain;charset=UTF-8');
      sendText(res, error.status, error.body, contentType, error.headers);
    } else {
      sendJson(res, error.status, error.body, error.headers);
    }
  } else {
    // A bug in the emulator: say so loudly, and answer as Salesforce does for its own bugs.
    console.error('[@sf/emulator] unhandled error:', error);
    sendErrors(res, 500, [
      {
        errorCode: 'UNKNOWN_EXCEPTION',
        message:
          'An unexpected error occurred. Please include this ErrorId if you contact support: 0000000000-00000 (0)',
      },
    ]);
  }
}
