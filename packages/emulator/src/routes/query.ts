// GET /query, /queryAll, /query/{locator}, /query?explain= and /search: SOQL and SOSL over the
// store, paged through query cursors.
//
// Paging: a query whose result is longer than the batch size (Sforce-Query-Options:
// batchSize=N, 200 to 2,000, 2,000 by default) answers its first page with done false and a
// nextRecordsUrl `/services/data/vNN.N/query/01g...-{offset}`. The cursor keeps the matched rows
// and shapes each page when it is asked for. A page is streamed as Salesforce sends it
// (chunked): the head of its JSON, nextRecordsUrl included, goes out before its records are
// serialised, so a client can ask for the next page while this one arrives. A child subquery result longer than
// `childBatchSize` (200) is cut the same way, with its own nextRecordsUrl.

import type { EmulatorContext, EmulatorModule } from '../context.js';
import { errorResponse, type HttpError, sendJson } from '../http-util.js';
import { normalizeId } from '../ids.js';
import { type PageHead, streamQueryPage } from '../json-stream.js';
import { listViewSoql, listViews } from '../metadata/layouts.js';
import {
  CursorStore,
  type CursorSource,
  type CursorStoreOptions,
  type QueryCursor,
} from '../query-cursors.js';
import { type RestContext, restRoute } from '../rest-guard.js';
import { type CompiledSoql, compileSoql, executeSosl, explainSoql, SoqlError } from '../soql/index.js';

type Row = Readonly<Record<string, unknown>>;

export interface QueryRouteOptions extends CursorStoreOptions {
  /** Child subquery records per page before a child result gets its own nextRecordsUrl. Default 200. */
  childBatchSize?: number;
}

const DEFAULT_BATCH = 2000;
const MIN_BATCH = 200;
const MAX_BATCH = 2000;
const LOCATOR = /^(01g[A-Za-z0-9]{15})-(\d+)$/;

/** Batch size from `Sforce-Query-Options: batchSize=N`; Salesforce clamps it to 200..2,000. */
export function batchSizeOf(header: string | string[] | undefined): number {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const match = /(?:^|[,;\s])batchSize\s*=\s*(\d+)/i.exec(text);
  if (!match) return DEFAULT_BATCH;
  const n = Number(match[1]);
  return Math.min(MAX_BATCH, Math.max(MIN_BATCH, n));
}

function soqlFailure(error: unknown): never {
  if (SoqlError.is(error)) throw errorResponse(400, { message: error.message, errorCode: error.errorCode });
  throw error;
}

function invalidLocator(): HttpError {
  return errorResponse(400, { message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' });
}

function isChildResult(value: unknown): value is { totalSize: number; done: boolean; records: unknown[] } {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { records?: unknown }).records) &&
    typeof (value as { done?: unknown }).done === 'boolean'
  );
}

/** The matched rows in result order, unshaped; undefined for COUNT() and aggregate queries. */
function matchedRows(compiled: CompiledSoql): readonly Row[] | undefined {
  return compiled.isCount || compiled.isAggregate ? undefined : compiled.rows?.();
}

/** The SOQL of the list view `id` names, of whichever object; undefined for anything else. */
function listViewQuery(ctx: EmulatorContext, id: string, userId: string): string | undefined {
  const id18 = normalizeId(id.trim());
  if (!id18?.startsWith('00B')) return undefined;
  for (const d of ctx.store.describeAll()) {
    const view = listViews(d).find((v) => v.id === id18);
    if (view) return listViewSoql(d, view, userId);
  }
  return undefined;
}

/** The API root a query path is mounted under (`tooling` in `/services/data/v64.0/tooling/query`). */
const ROOTED_QUERY = /^\/services\/data\/v\d+\.\d\/([^/]+)\/query(?:All)?(?:\/|$)/;

/**
 * Under another API root (the Tooling API's), moves the data-root URLs a page names (record
 * `attributes.url`, `nextRecordsUrl`) under it, as the rooted router does for whole JSON bodies;
 * a streamed page is written in pieces, so it does so itself. Undefined at the data root.
 */
function underRoot(pathname: string): ((json: string) => string) | undefined {
  const root = ROOTED_QUERY.exec(pathname)?.[1];
  if (root === undefined) return undefined;
  const dataUrl = new RegExp(`(?<!\\\\)"/services/data/v(\\d+\\.\\d)/(?!${root}/)`, 'g');
  return (json) => json.replace(dataUrl, `"/services/data/v$1/${root}/`);
}

/** The query module, with its own cursor store. */
export function queryRoutes(options: QueryRouteOptions = {}): EmulatorModule {
  return (ctx: EmulatorContext) => {
    const cursors = new CursorStore(options);
    const childBatch = Math.max(1, options.childBatchSize ?? 200);

    const locatorUrl = (version: string, resource: string, id: string, offset: number) =>
      `/services/data/v${version}/${resource}/${id}-${offset}`;

    /** Cuts long child results of a shaped record into a first page and a cursor. */
    const pageChildren = (
      record: Record<string, unknown>,
      rc: RestContext,
      resource: 'query' | 'queryAll',
    ) => {
      for (const key of Object.keys(record)) {
        const value = record[key];
        if (!isChildResult(value) || value.records.length <= childBatch) continue;
        const all = value.records as Record<string, unknown>[];
        const cursor = cursors.open(resource, { kind: 'records', records: all }, all.length, childBatch);
        record[key] = {
          totalSize: value.totalSize,
          done: false,
          nextRecordsUrl: locatorUrl(rc.version, resource, cursor.id, childBatch),
          records: all.slice(0, childBatch),
        };
      }
    };

    /**
     * Answers one page: the head (totalSize, done, nextRecordsUrl) as soon as the page's rows
     * are known, then each record shaped and written as the client takes them.
     */
    const sendPage = async (
      rc: RestContext,
      cursor: QueryCursor | undefined,
      source: CursorSource,
      total: number,
      offset: number,
      batchSize: number,
      resource: 'query' | 'queryAll',
    ) => {
      const end = Math.min(total, offset + batchSize);
      const done = end >= total;
      let open = cursor;
      if (!done && open === undefined) open = cursors.open(resource, source, total, batchSize);
      if (done && open !== undefined) cursors.close(open.id);
      const head: PageHead = { totalSize: total, done };
      if (!done && open) head.nextRecordsUrl = locatorUrl(rc.version, resource, open.id, end);
      const recordAt = (index: number): Record<string, unknown> => {
        const i = offset + index;
        if (source.kind === 'records') return source.records[i] as Record<string, unknown>;
        const record = source.shape(source.rows[i] as Row);
        pageChildren(record, rc, resource);
        return record;
      };
      await streamQueryPage(rc.res, head, Math.max(0, end - offset), recordAt, underRoot(rc.url.pathname));
    };

    const run = async (rc: RestContext, resource: 'query' | 'queryAll') => {
      const params = rc.url.searchParams;
      const explain = params.get('explain');
      if (resource === 'query' && explain !== null) {
        let plan: unknown;
        try {
          // A list view's id (00B...) explains the view's query, as Salesforce does.
          plan = explainSoql(ctx.store, listViewQuery(ctx, explain, rc.session.userId) ?? explain);
        } catch (error) {
          soqlFailure(error);
        }
        sendJson(rc.res, 200, plan);
        return;
      }
      const soql = params.get('q');
      if (soql === null || soql.trim() === '') {
        throw errorResponse(400, { message: "unexpected token: '<EOF>'", errorCode: 'MALFORMED_QUERY' });
      }
      let compiled: CompiledSoql;
      try {
        compiled = compileSoql(ctx.store, soql, {
          includeDeleted: resource === 'queryAll',
          apiVersion: rc.version,
        });
      } catch (error) {
        soqlFailure(error);
      }
      const batchSize = batchSizeOf(rc.req.headers['sforce-query-options']);
      let source: CursorSource;
      let total: number;
      try {
        const rows = matchedRows(compiled);
        if (rows !== undefined) {
          source = { kind: 'rows', rows, shape: (row) => compiled.shape(row) };
          total = rows.length;
        } else {
          const result = compiled.run();
          if (compiled.isCount) {
            sendJson(rc.res, 200, { totalSize: result.totalSize, done: true, records: [] });
            return;
          }
          if (compiled.isAggregate) {
            sendJson(rc.res, 200, { totalSize: result.totalSize, done: true, records: result.records });
            return;
          }
          for (const record of result.records) pageChildren(record, rc, resource);
          source = { kind: 'records', records: result.records };
          total = result.records.length;
        }
      } catch (error) {
        soqlFailure(error);
      }
      try {
        await sendPage(rc, undefined, source, total, 0, batchSize, resource);
      } catch (error) {
        soqlFailure(error);
      }
    };

    const more = async (rc: RestContext) => {
      const match = LOCATOR.exec(rc.params.locator ?? '');
      if (!match) throw invalidLocator();
      const cursor = cursors.take(match[1] as string);
      const offset = Number(match[2]);
      if (!cursor || offset > cursor.totalSize) throw invalidLocator();
      // A later request may ask for another page size; otherwise the query's own holds.
      const header = rc.req.headers['sforce-query-options'];
      const batchSize = header === undefined ? cursor.batchSize : batchSizeOf(header);
      try {
        await sendPage(rc, cursor, cursor.source, cursor.totalSize, offset, batchSize, cursor.resource);
      } catch (error) {
        soqlFailure(error);
      }
    };

    const search = (rc: RestContext) => {
      const sosl = rc.url.searchParams.get('q');
      if (sosl === null || sosl.trim() === '') {
        throw errorResponse(400, { message: 'No search term found.', errorCode: 'MALFORMED_SEARCH' });
      }
      let result: unknown;
      try {
        result = executeSosl(ctx.store, sosl, { includeDeleted: false, apiVersion: rc.version });
      } catch (error) {
        soqlFailure(error);
      }
      sendJson(rc.res, 200, result);
    };

    const { router } = ctx;
    router.add(
      'GET',
      '/services/data/:version/query',
      restRoute(ctx, (rc) => run(rc, 'query')),
    );
    router.add(
      'GET',
      '/services/data/:version/queryAll',
      restRoute(ctx, (rc) => run(rc, 'queryAll')),
    );
    router.add('GET', '/services/data/:version/query/:locator', restRoute(ctx, more));
    router.add('GET', '/services/data/:version/queryAll/:locator', restRoute(ctx, more));
    router.add('GET', '/services/data/:version/search', restRoute(ctx, search));
  };
}
