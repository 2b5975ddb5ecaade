// Fault injection: failures a real org or the network between produces, on demand, so client
// retry, refresh and error handling are tested rather than assumed.

import type { ServerResponse, IncomingMessage } from 'node:http';
import type { SessionRegistry } from './sessions.js';

/**
 * What a failed request looks like:
 * - `{ status }`: that HTTP status with a Salesforce error body (`retryAfter` adds the header);
 * - `'REQUEST_LIMIT_EXCEEDED'`: 403 with the org's API limit error;
 * - `'html'`: a 503 HTML maintenance page (as proxies and maintenance windows answer);
 * - `'truncated'`: a 200 JSON response whose Content-Length promises more than is sent, then
 *   the connection closes;
 * - `'truncated-json'`: a complete 200 response whose JSON body is cut off mid-value;
 * - `'reset'`: the connection is destroyed before any response;
 * - `'reset-mid-body'`: headers and part of the body are sent, then the connection is destroyed.
 */
export type FaultKind =
  | { status: number; retryAfter?: number; body?: unknown }
  | 'REQUEST_LIMIT_EXCEEDED'
  | 'html'
  | 'truncated'
  | 'truncated-json'
  | 'reset'
  | 'reset-mid-body';

export interface FaultScope {
  /** Only requests whose path starts with this string (or matches this RegExp) are affected. */
  path?: string | RegExp;
}

interface FaultRule {
  remaining: number;
  kind: FaultKind;
  path: string | RegExp | undefined;
}

function matches(path: string, scope: string | RegExp | undefined): boolean {
  if (scope === undefined) return true;
  return typeof scope === 'string' ? path.startsWith(scope) : scope.test(path);
}

/**
 * `emu.faults`: inject failures. Counted faults apply to the next matching requests, oldest
 * rule first, before authentication or routing (as a proxy or load balancer fails).
 *
 * @example
 * emu.faults.failNext(2, { status: 503, retryAfter: 1 }, { path: '/services/data/' });
 */
export class FaultController {
  readonly #sessions: SessionRegistry;
  #rules: FaultRule[] = [];
  #latencyMs = 0;
  #latencyPath: string | RegExp | undefined;

  constructor(sessions: SessionRegistry) {
    this.#sessions = sessions;
  }

  /** Every access token stops working now (refresh tokens still work). */
  expireAllTokens(): void {
    this.#sessions.expireAll();
  }

  /** One access token stops working now. */
  expireToken(accessToken: string): void {
    this.#sessions.expire(accessToken);
  }

  /** Delays every matching request by `ms` before it is handled; `0` clears it. */
  latency(ms: number, scope: FaultScope = {}): void {
    this.#latencyMs = Math.max(0, ms);
    this.#latencyPath = scope.path;
  }

  /** The next `count` matching requests fail as `kind`. */
  failNext(count: number, kind: FaultKind, scope: FaultScope = {}): void {
    if (count > 0) this.#rules.push({ remaining: count, kind, path: scope.path });
  }

  /** How many counted failures are still waiting to happen. */
  get pending(): number {
    return this.#rules.reduce((n, r) => n + r.remaining, 0);
  }

  /** Removes every pending failure and the latency. */
  clear(): void {
    this.#rules = [];
    this.#latencyMs = 0;
    this.#latencyPath = undefined;
  }

  /** @internal The delay for a request to `path`. */
  delayFor(path: string): number {
    return this.#latencyMs > 0 && matches(path, this.#latencyPath) ? this.#latencyMs : 0;
  }

  /** @internal Consumes and returns the fault for a request to `path`, if one is due. */
  take(path: string): FaultKind | undefined {
    const rule = this.#rules.find((r) => matches(path, r.path));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.#rules = this.#rules.filter((r) => r !== rule);
    return rule.kind;
  }
}

const MAINTENANCE_PAGE = `<!DOCTYPE html>
<html><head><title>Maintenance</title></head>
<body><h1>Down for Maintenance</h1>
<p>This Salesforce instance is currently undergoing maintenance. Please try again later.</p>
</body></html>`;

const PARTIAL_JSON =
  '{"totalSize":2,"done":true,"records":[{"attributes":{"type":"Account","url":"/services/data/v64.0/sobjects/Account/001';

function defaultBody(status: number): unknown {
  if (status === 503) {
    return [
      { errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable. Please try again later.' },
    ];
  }
  return [
    {
      errorCode: 'UNKNOWN_EXCEPTION',
      message:
        'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)',
    },
  ];
}

/** Writes (or withholds) the response of an injected fault. Returns the status logged, 0 for none. */
export function applyFault(kind: FaultKind, req: IncomingMessage, res: ServerResponse): number {
  // Drain what the client sends so a reset does not race its upload.
  req.resume();
  if (typeof kind === 'object') {
    const payload = JSON.stringify(kind.body ?? defaultBody(kind.status));
    res.writeHead(kind.status, {
      'content-type': 'application/json;charset=UTF-8',
      'content-length': Buffer.byteLength(payload),
      ...(kind.retryAfter !== undefined ? { 'retry-after': String(kind.retryAfter) } : {}),
    });
    res.end(payload);
    return kind.status;
  }
  switch (kind) {
    case 'REQUEST_LIMIT_EXCEEDED': {
      const payload = JSON.stringify([
        { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
      ]);
      res.writeHead(403, {
        'content-type': 'application/json;charset=UTF-8',
        'content-length': Buffer.byteLength(payload),
      });
      res.end(payload);
      return 403;
    }
    case 'html':
      res.writeHead(503, {
        'content-type': 'text/html;charset=UTF-8',
        'content-length': Buffer.byteLength(MAINTENANCE_PAGE),
      });
      res.end(MAINTENANCE_PAGE);
      return 503;
    case 'truncated':
      res.writeHead(200, {
        'content-type': 'application/json;charset=UTF-8',
        'content-length': Buffer.byteLength(PARTIAL_JSON) * 2,
      });
      res.write(PARTIAL_JSON, () => res.destroy());
      return 200;
    case 'truncated-json':
      res.writeHead(200, {
        'content-type': 'application/json;charset=UTF-8',
        'content-length': Buffer.byteLength(PARTIAL_JSON),
      });
      res.end(PARTIAL_JSON);
      return 200;
    case 'reset':
      res.destroy();
      return 0;
    case 'reset-mid-body':
      res.writeHead(200, {
        'content-type': 'application/json;charset=UTF-8',
        'transfer-encoding': 'chunked',
      });
      res.write(PARTIAL_JSON, () => res.destroy());
      return 200;
  }
}
