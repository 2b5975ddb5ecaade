// Writing a large Bulk result body: in chunks with backpressure, gzip-compressed when the client
// sends `Accept-Encoding: gzip` (Salesforce compresses Bulk 2.0 result downloads then).

import { drained } from '../drained.js';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';

/** A response body being written: `write` resolves once it may be called again. */
export interface BodyWriter {
  /** Resolves false when the client has gone (stop writing). */
  write(chunk: string): Promise<boolean>;
  end(chunk?: string): void;
}

/**
 * Whether `Accept-Encoding` names gzip with a non-zero quality. Salesforce ignores any other
 * value (even `*`), so only gzip counts here.
 */
export function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (name.trim() !== 'gzip') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

/**
 * Starts a 200 answer with `headers` and returns its writer. With gzip accepted, the body is
 * compressed (level 1: the emulator's time is the caller's test time) and says so in
 * `Content-Encoding`.
 */
export function openBody(
  req: IncomingMessage,
  res: ServerResponse,
  headers: OutgoingHttpHeaders,
): BodyWriter {
  if (!acceptsGzip(req)) {
    res.writeHead(200, { ...headers, vary: 'Accept-Encoding' });
    return {
      async write(chunk) {
        if (res.destroyed) return false;
        if (!res.write(chunk)) await drained(res);
        return !res.destroyed;
      },
      end(chunk) {
        if (!res.destroyed) res.end(chunk);
      },
    };
  }
  res.writeHead(200, { ...headers, 'content-encoding': 'gzip', vary: 'Accept-Encoding' });
  const gzip = createGzip({ level: 1 });
  gzip.pipe(res);
  res.once('close', () => gzip.destroy());
  return {
    async write(chunk) {
      if (res.destroyed || gzip.destroyed) return false;
      if (!gzip.write(chunk)) await drained(gzip);
      return !res.destroyed;
    },
    end(chunk) {
      if (!gzip.destroyed) gzip.end(chunk);
    },
  };
}
