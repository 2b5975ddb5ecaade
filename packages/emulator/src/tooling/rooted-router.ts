// Mounts the data root's route modules (sObjects, query, composite) under another API root,
// `/services/data/vNN.N/tooling/`, instead of copying them: each pattern
// `/services/data/:version/X` is registered as `/services/data/:version/tooling/X`, and the
// URLs those handlers write into their JSON answers (record `attributes.url`, `nextRecordsUrl`,
// describe `urls`) are moved under the same root, as Salesforce's Tooling API answers name it.

import type { OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { type RouteHandler, Router } from '../router.js';

const DATA = '/services/data/:version';
/** A URL of the data root at the start of a JSON string (not one inside an escaped string). */
const DATA_URL = /(?<!\\)"\/services\/data\/v(\d+\.\d)\/(?!tooling\/)/g;

/** A router that registers into `target` with every data-root pattern moved under `/{segment}`. */
export class RootedRouter extends Router {
  readonly #target: Router;
  readonly #segment: string;

  constructor(target: Router, segment: string) {
    super();
    this.#target = target;
    this.#segment = segment;
  }

  override add(method: string | readonly string[], pattern: string, handler: RouteHandler): this {
    if (!pattern.startsWith(`${DATA}/`) && pattern !== DATA) {
      throw new TypeError(
        `[@sf/emulator] only data-root routes can be mounted under another root: ${pattern}`,
      );
    }
    const rooted = `${DATA}/${this.#segment}${pattern.slice(DATA.length)}`;
    const segment = this.#segment;
    this.#target.add(method, rooted, (rc) => {
      rootUrls(rc.res, segment);
      return handler(rc);
    });
    return this;
  }

  override match(method: string, path: string) {
    return this.#target.match(method, path);
  }
}

/**
 * Holds the status line until the body is known, so that a JSON body's data-root URLs can be
 * moved under `/services/data/vNN.N/{segment}/` and its content-length set to the new size.
 */
function rootUrls(res: ServerResponse, segment: string): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  let held: unknown[] | undefined;
  const release = () => {
    if (held) writeHead(...held);
    held = undefined;
  };
  res.writeHead = ((...args: unknown[]) => {
    held = args;
    return res;
  }) as typeof res.writeHead;
  // A streamed body is passed on as it is: only whole JSON bodies name URLs.
  res.write = ((...args: unknown[]) => {
    release();
    return write(...args);
  }) as typeof res.write;
  res.end = ((...args: unknown[]) => {
    const [chunk] = args;
    if (held && (typeof chunk === 'string' || Buffer.isBuffer(chunk))) {
      const headers = headersOf(held);
      const type = String(headers?.['content-type'] ?? res.getHeader('content-type') ?? '');
      if (/json/i.test(type)) {
        const text = chunk.toString();
        const moved = text.replace(DATA_URL, `"/services/data/v$1/${segment}/`);
        if (moved !== text) {
          const payload = Buffer.from(moved, 'utf8');
          if (headers && 'content-length' in headers) headers['content-length'] = payload.length;
          else if (res.hasHeader('content-length')) res.setHeader('content-length', payload.length);
          release();
          return end(payload, ...args.slice(1));
        }
      }
    }
    release();
    return end(...args);
  }) as typeof res.end;
}

/** The headers object of `writeHead(status, [message,] headers)`, when given as an object. */
function headersOf(args: unknown[]): Record<string, OutgoingHttpHeader | undefined> | undefined {
  const last = args[args.length - 1];
  if (args.length < 2 || typeof last !== 'object' || last === null || Array.isArray(last)) return undefined;
  return last as OutgoingHttpHeaders;
}
