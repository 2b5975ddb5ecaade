import { BODY_LIMIT_DEFAULTS, collectText } from './body-limits.js';
import { SalesforceError } from './errors.js';
import type { TransportResponse } from './transport.js';

export interface ResponseParts {
  status: number;
  headers: Record<string, string>;
  /** The body's bytes; may throw typed errors while being read. */
  stream: AsyncIterable<Uint8Array>;
  /**
   * Discard the rest of the body and free the connection. It must settle promptly even if
   * the body never ends, and end a read that is pending.
   */
  discard: () => Promise<void>;
  /** Called once the body has been fully read, cancelled or failed. */
  onSettled?: () => void;
  method: string;
  url: string;
  /** Largest body `text()`/`json()` buffer. Default 256 MiB ({@link BODY_LIMIT_DEFAULTS}). */
  maxBodyBytes?: number;
  /** Overall deadline of `text()`/`json()`, from the start of the read. Default 3 × 120 s. */
  bodyTimeoutMs?: number;
}

/**
 * Builds a read-once {@link TransportResponse} over a byte stream. Transports supply the
 * stream; this keeps text, JSON and streaming semantics (and their errors) identical for all.
 */
export function createTransportResponse(parts: ResponseParts): TransportResponse {
  let used = false;
  let settled = false;
  let cancelled = false;
  const settle = () => {
    if (!settled) {
      settled = true;
      parts.onSettled?.();
    }
  };
  const take = (): AsyncIterable<Uint8Array> => {
    if (used) {
      throw new SalesforceError('response body was already read', {
        code: 'INVALID_ARGUMENT',
        method: parts.method,
        url: parts.url,
      });
    }
    used = true;
    return parts.stream;
  };
  // `text()` takes the body before it starts, so a second reader never cancels the first.
  async function* body(taken?: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const source = taken ?? take();
    let completed = false;
    try {
      for await (const chunk of source) {
        if (cancelled) break;
        yield chunk;
      }
      completed = true;
    } catch (error) {
      // A read ended by cancel() just ends; the canceller knows why.
      if (!cancelled) throw error;
    } finally {
      // A consumer that stops early must not leave the socket busy.
      if (!completed) await parts.discard().catch(() => {});
      settle();
    }
  }
  const text = async (): Promise<string> =>
    collectText(
      body(take()),
      () => cancel(),
      {
        maxBytes: parts.maxBodyBytes ?? BODY_LIMIT_DEFAULTS.maxBodyBytes,
        timeoutMs:
          parts.bodyTimeoutMs ?? BODY_LIMIT_DEFAULTS.timeoutMs * BODY_LIMIT_DEFAULTS.bodyTimeoutFactor,
      },
      {
        status: parts.status,
        headers: parts.headers,
        method: parts.method,
        url: parts.url,
        sizeOption: 'maxBodyBytes',
      },
    );
  // Ends the body at once, also in the middle of a read: the transport's discard is prompt.
  const cancel = async (): Promise<void> => {
    if (cancelled || settled) return;
    cancelled = true;
    used = true;
    try {
      await parts.discard();
    } finally {
      settle();
    }
  };
  return {
    status: parts.status,
    headers: parts.headers,
    get bodyUsed() {
      return used;
    },
    text,
    async json<T>(): Promise<T> {
      const raw = await text();
      try {
        return JSON.parse(raw) as T;
      } catch (cause) {
        throw new SalesforceError(
          `response body is not valid JSON (${raw.length} characters, content-type ${parts.headers['content-type'] ?? 'none'}): truncated or malformed`,
          { code: 'MALFORMED_RESPONSE', status: parts.status, method: parts.method, url: parts.url, cause },
        );
      }
    },
    body: () => body(),
    cancel,
  };
}

/** Lower-cases header names and joins repeated values. */
export function normalizeHeaders(
  input: Iterable<[string, string | string[] | undefined]>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of input) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
