import { SalesforceError } from './errors.js';
import type { TransportRequest, TransportResponse } from './transport.js';

const MiB = 1024 * 1024;

/**
 * The defaults for reading a whole body into memory (`request()`, `text()`, `json()`, error
 * bodies, token responses). Streams read with `body()` have no such limits.
 *
 * - `maxBodyBytes`, 256 MiB: a query page holds at most 2,000 records; even every one of them
 *   carrying a full Long Text Area (131,072 characters) fits. A bigger body is a runaway.
 * - `maxErrorBodyBytes`, 1 MiB: Salesforce's error arrays, OAuth errors and SOAP faults are a
 *   few hundred bytes, maintenance pages some kilobytes; token responses are as small.
 * - `bodyTimeoutFactor`, 3: the whole body must arrive within 3 × `timeoutMs` (the per-step
 *   timeout) unless `bodyTimeoutMs` says otherwise, so a body that trickles one byte at a
 *   time (which the per-step timeout never catches) still ends.
 */
export const BODY_LIMIT_DEFAULTS = Object.freeze({
  maxBodyBytes: 256 * MiB,
  maxErrorBodyBytes: 1 * MiB,
  bodyTimeoutFactor: 3,
  /** The per-step timeout assumed when a request names none. */
  timeoutMs: 120_000,
});

/** Limits for reading one whole body. */
export interface BodyLimits {
  /** The largest body accepted, in bytes. */
  maxBytes: number;
  /** The longest the whole body may take to arrive, counted from the start of the read. */
  timeoutMs: number;
}

/** What the body belongs to, for messages. */
interface BodyContext {
  status: number;
  headers: Record<string, string>;
  method?: string | undefined;
  url?: string | undefined;
  source?: string | undefined;
  /** `maxBodyBytes` or `maxErrorBodyBytes`: the option to name when the body is too large. */
  sizeOption: string;
  /** On reaching `maxBytes`, keep what was read instead of rejecting. */
  truncate?: boolean;
}

type LimitSource = Partial<Pick<TransportRequest, 'timeoutMs' | 'bodyTimeoutMs' | 'maxBodyBytes'>>;

/** The overall deadline for a request's buffered body: its `bodyTimeoutMs`, else 3 × its `timeoutMs`. */
export function bodyTimeoutFor(req: LimitSource | undefined): number {
  return (
    req?.bodyTimeoutMs ??
    (req?.timeoutMs ?? BODY_LIMIT_DEFAULTS.timeoutMs) * BODY_LIMIT_DEFAULTS.bodyTimeoutFactor
  );
}

/** The limits that apply to a request's buffered body (for a success body unless `error`). */
export function bodyLimitsFor(req: LimitSource | undefined, kind: 'body' | 'error' = 'body'): BodyLimits {
  return {
    maxBytes:
      kind === 'error'
        ? BODY_LIMIT_DEFAULTS.maxErrorBodyBytes
        : (req?.maxBodyBytes ?? BODY_LIMIT_DEFAULTS.maxBodyBytes),
    timeoutMs: bodyTimeoutFor(req),
  };
}

/**
 * The limits a transport hands to `createTransportResponse` for one request: the request's
 * own, else the transport's defaults, else 3 × the per-step timeout and 256 MiB.
 */
export function transportBodyLimits(
  req: TransportRequest,
  defaults: { timeoutMs?: number; bodyTimeoutMs?: number; maxBodyBytes?: number },
): { bodyTimeoutMs: number; maxBodyBytes: number } {
  return {
    bodyTimeoutMs:
      req.bodyTimeoutMs ??
      defaults.bodyTimeoutMs ??
      bodyTimeoutFor({ timeoutMs: req.timeoutMs ?? defaults.timeoutMs ?? BODY_LIMIT_DEFAULTS.timeoutMs }),
    maxBodyBytes: req.maxBodyBytes ?? defaults.maxBodyBytes ?? BODY_LIMIT_DEFAULTS.maxBodyBytes,
  };
}

function describe(context: BodyContext): string {
  return context.sizeOption === 'maxErrorBodyBytes' ? 'error body' : 'response body';
}

function where(context: BodyContext) {
  return {
    status: context.status,
    ...(context.method === undefined ? {} : { method: context.method }),
    ...(context.url === undefined ? {} : { url: context.url }),
    ...(context.source === undefined ? {} : { source: context.source }),
  };
}

function tooLarge(context: BodyContext, limits: BodyLimits, declared?: number): SalesforceError {
  const size = declared === undefined ? 'is larger than' : `declares ${declared} bytes, more than`;
  return new SalesforceError(
    `HTTP ${context.status}: the ${describe(context)} ${size} ${limits.maxBytes} bytes (${context.sizeOption}); read large bodies as a stream with body(), or raise ${context.sizeOption}`,
    { code: 'MALFORMED_RESPONSE', ...where(context) },
  );
}

function timedOut(context: BodyContext, limits: BodyLimits): SalesforceError {
  return new SalesforceError(
    `HTTP ${context.status}: the ${describe(context)} did not arrive in full within ${limits.timeoutMs} ms (bodyTimeoutMs)`,
    { code: 'TIMEOUT', reachedServer: true, ...where(context) },
  );
}

/**
 * Reads a byte stream into text within `limits`. On a breach it calls `stop` (which must end
 * the body at once, even while a read is pending) and rejects without waiting for it.
 */
export async function collectText(
  body: AsyncIterable<Uint8Array>,
  stop: () => Promise<void>,
  limits: BodyLimits,
  context: BodyContext,
): Promise<string> {
  const declared = Number(context.headers['content-length']);
  if (!context.truncate && Number.isFinite(declared) && declared > limits.maxBytes) {
    void stop().catch(() => {});
    throw tooLarge(context, limits, declared);
  }
  const iterator = body[Symbol.asyncIterator]();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let bytes = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut(context, limits)), limits.timeoutMs);
  });
  deadline.catch(() => {});
  try {
    for (;;) {
      const next = iterator.next();
      // A read left pending by the deadline settles once `stop` ends the body; nobody waits.
      next.catch(() => {});
      const { done, value } = await Promise.race([next, deadline]);
      if (done) break;
      if (bytes + value.byteLength > limits.maxBytes) {
        if (!context.truncate) throw tooLarge(context, limits);
        parts.push(decoder.decode(value.subarray(0, limits.maxBytes - bytes)));
        void stop().catch(() => {});
        return parts.join('');
      }
      bytes += value.byteLength;
      parts.push(decoder.decode(value, { stream: true }));
    }
    parts.push(decoder.decode());
    return parts.join('');
  } catch (error) {
    void stop().catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Options of {@link readBodyText}. */
export interface ReadBodyOptions {
  /** Largest body accepted. Default: the request's `maxBodyBytes`, else 256 MiB. */
  maxBytes?: number;
  /** Overall deadline. Default: the request's `bodyTimeoutMs`, else 3 × its `timeoutMs`. */
  timeoutMs?: number;
  /** Package name for error messages, e.g. `@sf/auth`. */
  source?: string;
  /** The option to name in the too-large message. Default `maxBodyBytes`. */
  sizeOption?: string;
}

/**
 * Reads a whole response body as text, from any transport, within an overall deadline and a
 * maximum size: rejects `TIMEOUT` or `MALFORMED_RESPONSE` (and cancels the body) instead of
 * waiting for a body that never ends or buffering one without bound. Use it wherever a
 * package reads a body whole, token responses included.
 *
 * @example
 * const res = await ctx.transport(req);
 * const text = await readBodyText(res, req, {
 *   source: '@sf/auth',
 *   maxBytes: BODY_LIMIT_DEFAULTS.maxErrorBodyBytes, // token responses are small
 * });
 */
export async function readBodyText(
  res: TransportResponse,
  req: LimitSource & Partial<Pick<TransportRequest, 'method' | 'url'>>,
  options: ReadBodyOptions = {},
): Promise<string> {
  const defaults = bodyLimitsFor(req);
  return collectText(
    res.body(),
    () => res.cancel(),
    { maxBytes: options.maxBytes ?? defaults.maxBytes, timeoutMs: options.timeoutMs ?? defaults.timeoutMs },
    {
      status: res.status,
      headers: res.headers,
      method: req.method,
      url: req.url,
      source: options.source,
      sizeOption: options.sizeOption ?? 'maxBodyBytes',
    },
  );
}
