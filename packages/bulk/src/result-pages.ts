// Where a Bulk 2.0 query's result pages come from, and how one is downloaded and checked.
// Sequential: each page's `Sforce-Locator` names the next (every API version). Parallel (API
// 58.0+): `GET /jobs/query/{id}/resultPages` answers up to five result URLs at a time, plus the
// URL of the next set, so several pages can be downloaded at once; a 404 there (an org or proxy
// without the resource) falls back to the sequential locators.
import { type Connection, isSalesforceError, type TransportResponse } from '@sf/core';
import { type CheckedPage, createCheckedPage } from './checked-page.js';
import { bulkError, SOURCE } from './errors.js';
import { gunzipped, isGzip } from './gzip-body.js';
import type { PageParserOptions } from './query-page.js';

/** @internal One page to download: a `results` locator, or a URL from `resultPages`. */
export type PageRequest = { locator: string | undefined } | { url: string };

/** @internal A page being downloaded and checked in the background. */
export interface PageTask {
  /** Its number, from 1, in the query's page order. */
  readonly number: number;
  /** The next page's locator (`Sforce-Locator`) once its headers are in; undefined on the last. */
  readonly locator: Promise<string | undefined>;
  /** The page, whole and checked; rejects MALFORMED_RESPONSE (or the request's error). */
  readonly done: Promise<CheckedPage>;
  /** Stops the download and lets the page go. */
  cancel(): void;
}

/** @internal What every page's download shares. */
export interface PageContext {
  conn: Connection;
  jobId: string;
  maxRecords: number | undefined;
  gzip: boolean;
  parser: Omit<PageParserOptions, 'where'>;
  signal: AbortSignal;
}

const noop = (): void => {};
const LF = 0x0a;

/** `Sforce-NumberOfRecords` as a count, or undefined when absent (a malformed one is refused). */
function recordCount(header: string | undefined, where: string): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const n = Number(header);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw bulkError(
      `${where}: Sforce-NumberOfRecords is not a row count: ${JSON.stringify(header.slice(0, 40))}`,
      {
        code: 'MALFORMED_RESPONSE',
      },
    );
  }
  return n;
}

/** A result URL as a path on the connection's instance (an absolute URL's origin is dropped). */
function pathOf(url: string): string {
  if (/^https?:\/\//i.test(url)) {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  }
  return url.startsWith('/') ? url : `/${url}`;
}

/** @internal Starts downloading page `number`: its body is read and checked as it arrives. */
export function startPage(ctx: PageContext, request: PageRequest, number: number): PageTask {
  const where = `query job ${ctx.jobId} results page ${number}`;
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  let res: TransportResponse | undefined;
  let cancelled = false;
  const headers = (async () => {
    const accept = { accept: 'text/csv', 'accept-encoding': ctx.gzip ? 'gzip' : 'identity' };
    res = await ctx.conn.requestRaw(
      'url' in request
        ? { path: pathOf(request.url), headers: accept, signal, source: SOURCE }
        : {
            path: `jobs/query/${encodeURIComponent(ctx.jobId)}/results`,
            query: { locator: request.locator, maxRecords: ctx.maxRecords },
            headers: accept,
            signal,
            source: SOURCE,
          },
    );
    if (cancelled) void res.cancel().catch(noop);
    const next = res.headers['sforce-locator'];
    return {
      res,
      next: next === undefined || next === 'null' || next === '' ? undefined : next,
      expected: recordCount(res.headers['sforce-numberofrecords'], where),
    };
  })();
  const done = (async () => {
    const head = await headers;
    const page = createCheckedPage({ ...ctx.parser, where });
    let bytes = 0;
    let last: number | undefined;
    try {
      const raw = head.res.body();
      const body = isGzip(head.res.headers['content-encoding']) ? gunzipped(raw, where) : raw;
      for await (const chunk of body) {
        if (chunk.length === 0) continue;
        bytes += chunk.length;
        last = chunk[chunk.length - 1];
        page.write(chunk);
      }
      page.end();
    } catch (error) {
      await head.res.cancel().catch(noop);
      throw error;
    }
    const malformed = (message: string) =>
      bulkError(`${where}: ${message}; none of its records was handed on`, { code: 'MALFORMED_RESPONSE' });
    // Salesforce ends every row with the job's line ending: a body that stops mid-row was cut
    // off, and its last value may be short even when the row has all its fields.
    if (bytes > 0 && last !== LF)
      throw malformed('the body ends mid-row, without its final line break (truncated)');
    if (head.expected !== undefined && page.rows !== head.expected) {
      throw malformed(`it has ${page.rows} rows but Sforce-NumberOfRecords says ${head.expected}`);
    }
    return page;
  })();
  const locator = headers.then((h) => h.next);
  // Held until the consumer reaches it; a failure meanwhile must not be an unhandled rejection.
  done.catch(noop);
  locator.catch(noop);
  return {
    number,
    locator,
    done,
    cancel() {
      cancelled = true;
      stop.abort();
      void res?.cancel().catch(noop);
    },
  };
}

/** @internal Hands out the pages' requests in order; `previous` is the last page started. */
export interface PageSource {
  next(previous: PageTask | undefined): Promise<PageRequest | undefined>;
}

/** @internal Each page's `Sforce-Locator` names the next: one request after another. */
export function locatorSource(): PageSource {
  let started = false;
  return {
    async next(previous) {
      if (!started) {
        started = true;
        return { locator: undefined };
      }
      const locator = await previous?.locator;
      return locator === undefined ? undefined : { locator };
    },
  };
}

interface ResultPagesAnswer {
  resultPages?: { resultUrl?: string; resultLink?: string }[];
  nextRecordsUrl?: string | null;
  nextRecordUrl?: string | null;
  done?: boolean;
}

/**
 * @internal The result URLs of `GET /jobs/query/{id}/resultPages`, a set at a time (Salesforce's
 * documentation spells the fields `nextRecordsUrl` and `nextRecordUrl`, `resultUrl` and
 * `resultLink`: both are read). A 404 on the first set falls back to the locators.
 */
export function resultPagesSource(ctx: PageContext): PageSource {
  const urls: string[] = [];
  let first = true;
  let fallback: PageSource | undefined;
  // The next set is asked for as soon as one arrives (a small JSON answer), so that the pages'
  // downloads never wait a round trip for their URLs.
  let nextSet: Promise<ResultPagesAnswer> | undefined = fetchSet(
    ctx,
    `jobs/query/${encodeURIComponent(ctx.jobId)}/resultPages`,
    true,
  );
  return {
    async next(previous) {
      if (fallback) return fallback.next(previous);
      while (urls.length === 0) {
        if (nextSet === undefined) return undefined;
        let answer: ResultPagesAnswer;
        try {
          answer = await nextSet;
        } catch (error) {
          if (first && isSalesforceError(error) && error.status === 404) {
            fallback = locatorSource();
            return fallback.next(previous);
          }
          throw error;
        }
        first = false;
        for (const entry of answer?.resultPages ?? []) {
          const url = entry?.resultUrl ?? entry?.resultLink;
          if (typeof url !== 'string' || url === '') {
            throw bulkError(`query job ${ctx.jobId} resultPages: an entry without a resultUrl`, {
              code: 'MALFORMED_RESPONSE',
            });
          }
          urls.push(url);
        }
        const following = answer?.nextRecordsUrl ?? answer?.nextRecordUrl;
        const more = answer?.done !== true && typeof following === 'string' && following !== '';
        // A set with no URLs that is not the last would be asked for again and again.
        if (more && urls.length === 0) {
          throw bulkError(`query job ${ctx.jobId} resultPages: a set without result URLs that is not done`, {
            code: 'MALFORMED_RESPONSE',
          });
        }
        nextSet = more ? fetchSet(ctx, pathOf(following as string), false) : undefined;
      }
      return { url: urls.shift() as string };
    },
  };
}

function fetchSet(ctx: PageContext, path: string, first: boolean): Promise<ResultPagesAnswer> {
  const answer = ctx.conn.request<ResultPagesAnswer>({
    path,
    ...(first && ctx.maxRecords !== undefined ? { query: { maxRecords: ctx.maxRecords } } : {}),
    signal: ctx.signal,
    source: SOURCE,
  });
  // Awaited when its URLs are needed; a failure meanwhile must not be an unhandled rejection.
  answer.catch(noop);
  return answer;
}
