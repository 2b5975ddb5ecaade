import { SalesforceError } from './errors.js';
import type { TransportResponse } from './transport.js';

export interface ResponseParts {
  status: number;
  headers: Record<string, string>;
  /** The body's bytes; may throw typed errors while being read. */
  stream: AsyncIterable<Uint8Array>;
  /** Discard the rest of the body and free the connection. */
  discard: () => Promise<void>;
  /** Called once the body has been fully read, cancelled or failed. */
  onSettled?: () => void;
  method: string;
  url: string;
}

/**
 * Builds a read-once {@link TransportResponse} over a byte stream. Transports supply the
 * stream; this keeps text, JSON and streaming semantics (and their errors) identical for all.
 */
export function createTransportResponse(parts: ResponseParts): TransportResponse {
  let used = false;
  let settled = false;
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
  async function* body(): AsyncGenerator<Uint8Array> {
    const source = take();
    let completed = false;
    try {
      for await (const chunk of source) yield chunk;
      completed = true;
    } finally {
      // A consumer that stops early must not leave the socket busy.
      if (!completed) await parts.discard().catch(() => {});
      settle();
    }
  }
  const text = async (): Promise<string> => {
    const decoder = new TextDecoder();
    let out = '';
    for await (const chunk of body()) out += decoder.decode(chunk, { stream: true });
    return out + decoder.decode();
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
    async cancel() {
      if (used) return;
      used = true;
      try {
        await parts.discard();
      } finally {
        settle();
      }
    },
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
