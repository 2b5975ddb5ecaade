// Composite (25 subrequests, `@{ref.field}` references, allOrNone), composite batch (25
// independent subrequests), sObject Tree (200 records, 5 types, 5 levels) and Composite Graph
// (500 nodes). Subrequests run in-process against the store, inside one store transaction
// where the API is atomic.
//
// Composite batch runs any REST resource, each subrequest as its own request over loopback.
// Less than Salesforce: composite and graph subrequests may be sObject rows (create, read,
// update, delete, upsert by external id) and queries; other resources answer 400 there.

import type { EmulatorContext, EmulatorModule } from '../context.js';
import { errorResponse, HttpError, readJsonObject, sendJson } from '../http-util.js';
import { normalizeId } from '../ids.js';
import { upsertByExternalId } from '../record-ops.js';
import { type RestContext, restRoute } from '../rest-guard.js';
import { executeSoql, SoqlError } from '../soql/index.js';
import { StoreError } from '../store-error.js';
import type { OrgStore } from '../store.js';
import { recordUrl, serializeRecord } from './sobjects.js';
import { dispatchSubrequest } from './subrequest-dispatch.js';

export const COMPOSITE_LIMIT = 25;
export const TREE_RECORD_LIMIT = 200;
export const TREE_TYPE_LIMIT = 5;
export const TREE_DEPTH_LIMIT = 5;
export const GRAPH_NODE_LIMIT = 500;

interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId?: string;
}

interface Subrequest {
  method: string;
  url: string;
  referenceId?: string;
  body?: unknown;
}

const HALTED = {
  errorCode: 'PROCESSING_HALTED',
  message: 'The transaction was rolled back since another operation in the same transaction failed.',
};

function limitError(message: string): HttpError {
  return errorResponse(400, { errorCode: 'LIMIT_EXCEEDED', message });
}

function invalidRequest(message: string): HttpError {
  return errorResponse(400, { errorCode: 'INVALID_INPUT', message });
}

/** A failure as a subrequest answer. */
function failure(error: unknown): { status: number; body: unknown } {
  if (error instanceof StoreError) return { status: error.status, body: [error.toJSON()] };
  if (error instanceof HttpError) return { status: error.status, body: error.body };
  if (SoqlError.is(error))
    return { status: 400, body: [{ errorCode: error.errorCode, message: error.message }] };
  throw error;
}

function lookupPath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    current = (current as Record<string, unknown> | undefined)?.[m[1] as string];
    for (const index of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) {
      current = (current as unknown[] | undefined)?.[Number(index[1])];
    }
  }
  return current;
}

const REFERENCE = /@\{([A-Za-z0-9_]+)\.([^}]+)\}/g;

/** Replaces `@{ref.path}` in strings (whole-string references keep the value's type). */
function resolveReferences(value: unknown, results: Map<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^@\{([A-Za-z0-9_]+)\.([^}]+)\}$/.exec(value);
    const resolve = (ref: string, path: string): unknown => {
      if (!results.has(ref)) {
        throw errorResponse(400, {
          errorCode: 'PROCESSING_HALTED',
          message: `Invalid reference specified. No value for ${ref}.${path} found in ${ref}.`,
        });
      }
      const found = lookupPath(results.get(ref), path);
      if (found === undefined) {
        throw errorResponse(400, {
          errorCode: 'PROCESSING_HALTED',
          message: `Invalid reference specified. No value for ${ref}.${path} found in ${ref}.`,
        });
      }
      return found;
    };
    if (whole) return resolve(whole[1] as string, whole[2] as string);
    return value.replace(REFERENCE, (_m, ref: string, path: string) => String(resolve(ref, path)));
  }
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, results));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v, results)]));
  }
  return value;
}

/** Runs one subrequest against the store: synchronous, so it can sit inside a transaction. */
function execute(
  store: OrgStore,
  rc: RestContext,
  method: string,
  rawUrl: string,
  body: unknown,
): { status: number; body: unknown } {
  const url = new URL(rawUrl.startsWith('/') ? rawUrl : `/services/data/${rawUrl}`, 'http://composite');
  // A composite under the Tooling root runs subrequests of that root, and only those.
  const m = /^\/services\/data\/v(\d+\.\d)\/(tooling\/)?(.*?)\/?$/.exec(url.pathname);
  const toolingRoot = /^\/services\/data\/v[^/]+\/tooling\//.test(rc.url.pathname);
  if (!m || (m[2] !== undefined) !== toolingRoot)
    throw invalidRequest(`unsupported subrequest URL: ${rawUrl}`);
  const version = m[1] as string;
  const segments = (m[3] as string).split('/').map(decodeURIComponent);
  const options = { userId: rc.session.userId };
  const record = (): Record<string, unknown> => {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw errorResponse(400, { errorCode: 'JSON_PARSER_ERROR', message: 'The body must be an sObject' });
    }
    return body as Record<string, unknown>;
  };
  const describe = (name: string | undefined) => {
    const d = store.describe(name ?? '');
    if (!d)
      throw errorResponse(404, { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' });
    return d;
  };
  const idOf = (raw: string | undefined, label: string): string => {
    const id = normalizeId(raw ?? '');
    if (!id) {
      throw errorResponse(400, {
        errorCode: 'MALFORMED_ID',
        message: `${label} ID: id value of incorrect type: ${raw}`,
        fields: ['Id'],
      });
    }
    return id;
  };

  if ((segments[0] === 'query' || segments[0] === 'queryAll') && segments.length === 1 && method === 'GET') {
    const result = executeSoql(store, url.searchParams.get('q') ?? '', {
      includeDeleted: segments[0] === 'queryAll',
      apiVersion: version,
    });
    return { status: 200, body: { totalSize: result.totalSize, done: true, records: result.records } };
  }
  if (segments[0] !== 'sobjects') throw invalidRequest(`unsupported subrequest URL: ${rawUrl}`);
  const d = describe(segments[1]);
  if (segments.length === 2 && method === 'POST') {
    const id = store.insert(d.name, record(), options);
    return { status: 201, body: { id, success: true, errors: [] } };
  }
  if (segments.length === 3) {
    const id = idOf(segments[2], d.label);
    if (method === 'GET') {
      const row = store.get(d.name, id);
      if (!row)
        throw errorResponse(404, {
          errorCode: 'NOT_FOUND',
          message: 'The requested resource does not exist',
        });
      const names = url.searchParams
        .get('fields')
        ?.split(',')
        .filter((s) => s !== '');
      const fields = names
        ? names.map((n) => {
            const f = store.field(d.name, n.trim());
            if (!f)
              throw errorResponse(400, {
                errorCode: 'INVALID_FIELD',
                message: `No such column '${n}' on entity '${d.name}'.`,
              });
            return f;
          })
        : d.fields;
      return { status: 200, body: serializeRecord(d, row, version, fields) };
    }
    if (method === 'PATCH') {
      store.update(d.name, id, record(), options);
      return { status: 204, body: null };
    }
    if (method === 'DELETE') {
      store.delete(d.name, id, options);
      return { status: 204, body: null };
    }
  }
  if (segments.length === 4 && method === 'PATCH') {
    const outcome = upsertByExternalId(store, d.name, segments[2] as string, segments[3], record(), options);
    if (outcome.kind === 'multiple') {
      return { status: 300, body: outcome.ids.map((id) => recordUrl(version, d.name, id)) };
    }
    const created = outcome.kind === 'created';
    return { status: created ? 201 : 200, body: { id: outcome.id, success: true, errors: [], created } };
  }
  throw errorResponse(405, {
    errorCode: 'METHOD_NOT_ALLOWED',
    message: `HTTP Method '${method}' not allowed.`,
  });
}

function readSubrequests(value: unknown, what: string): Subrequest[] {
  if (!Array.isArray(value)) throw invalidRequest(`${what} must be an array`);
  return value.map((entry) => {
    const r = entry as Record<string, unknown>;
    if (!r || typeof r.method !== 'string' || typeof r.url !== 'string') {
      throw invalidRequest(`each entry of ${what} needs method and url`);
    }
    return {
      method: r.method.toUpperCase(),
      url: r.url,
      ...(typeof r.referenceId === 'string' ? { referenceId: r.referenceId } : {}),
      ...(r.body !== undefined ? { body: r.body } : r.richInput !== undefined ? { body: r.richInput } : {}),
    };
  });
}

/** Composite semantics: references resolved in order; `allOrNone` rolls back on any failure. */
function runComposite(
  store: OrgStore,
  rc: RestContext,
  subrequests: Subrequest[],
  allOrNone: boolean,
): { responses: SubResponse[]; success: boolean } {
  const seen = new Set<string>();
  for (const s of subrequests) {
    if (!s.referenceId || !/^[A-Za-z][A-Za-z0-9_]*$/.test(s.referenceId)) {
      throw invalidRequest('every subrequest needs a referenceId of letters, digits and underscores');
    }
    if (seen.has(s.referenceId)) throw invalidRequest(`Duplicate referenceId: ${s.referenceId}`);
    seen.add(s.referenceId);
  }
  return store.transaction((tx) => {
    const results = new Map<string, unknown>();
    const responses: SubResponse[] = [];
    let failedAt = -1;
    for (const [i, s] of subrequests.entries()) {
      let outcome: { status: number; body: unknown };
      try {
        const url = resolveReferences(s.url, results) as string;
        const body = s.body === undefined ? undefined : resolveReferences(s.body, results);
        outcome = execute(store, rc, s.method, url, body);
      } catch (error) {
        outcome = failure(error);
      }
      responses.push({
        body: outcome.body,
        httpHeaders: {},
        httpStatusCode: outcome.status,
        referenceId: s.referenceId as string,
      });
      if (outcome.status < 300) results.set(s.referenceId as string, outcome.body);
      else if (failedAt === -1) {
        failedAt = i;
        if (allOrNone) break;
      }
    }
    if (failedAt === -1 || !allOrNone) return { responses, success: failedAt === -1 };
    tx.rollback();
    const all = subrequests.map((s, i): SubResponse => {
      const own = responses[i];
      if (i === failedAt && own) return own;
      return { body: [HALTED], httpHeaders: {}, httpStatusCode: 400, referenceId: s.referenceId as string };
    });
    return { responses: all, success: false };
  });
}

interface TreeCounter {
  records: number;
  types: Set<string>;
}

function countTree(
  records: unknown,
  depth: number,
  counter: TreeCounter,
  store: OrgStore,
  type: string,
): void {
  if (depth > TREE_DEPTH_LIMIT)
    throw limitError(`An sObject tree can be at most ${TREE_DEPTH_LIMIT} levels deep`);
  if (!Array.isArray(records)) throw invalidRequest('records must be an array');
  counter.types.add(type.toLowerCase());
  for (const r of records as Record<string, unknown>[]) {
    counter.records += 1;
    const d = store.describe(type);
    for (const [key, value] of Object.entries(r ?? {})) {
      const rel = d?.childRelationships.find((c) => c.relationshipName?.toLowerCase() === key.toLowerCase());
      if (rel && value && typeof value === 'object') {
        countTree((value as { records?: unknown }).records, depth + 1, counter, store, rel.childSObject);
      }
    }
  }
}

export const compositeRoutes: EmulatorModule = (ctx: EmulatorContext) => {
  const { router, store } = ctx;
  const base = '/services/data/:version/composite';

  router.add(
    'POST',
    base,
    restRoute(ctx, async (rc) => {
      const body = await readJsonObject(rc.req);
      const subrequests = readSubrequests(body.compositeRequest, 'compositeRequest');
      if (subrequests.length > COMPOSITE_LIMIT) {
        throw limitError(`A composite request may contain at most ${COMPOSITE_LIMIT} subrequests`);
      }
      const { responses } = runComposite(store, rc, subrequests, body.allOrNone === true);
      sendJson(rc.res, 200, { compositeResponse: responses });
    }),
  );

  router.add(
    'POST',
    `${base}/batch`,
    restRoute(ctx, async (rc) => {
      const body = await readJsonObject(rc.req);
      const requests = readSubrequests(body.batchRequests, 'batchRequests');
      if (requests.length > COMPOSITE_LIMIT) {
        throw limitError(`A batch request may contain at most ${COMPOSITE_LIMIT} subrequests`);
      }
      let halted = false;
      let hasErrors = false;
      const results: { statusCode: number; result: unknown }[] = [];
      // One after another, each committed before the next starts, as Salesforce runs them.
      for (const r of requests) {
        if (halted) {
          results.push({
            statusCode: 412,
            result: [
              { errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' },
            ],
          });
          continue;
        }
        let outcome: { status: number; body: unknown };
        try {
          outcome = await dispatchSubrequest(ctx, rc, r.method, r.url, r.body);
        } catch (error) {
          outcome = failure(error);
        }
        if (outcome.status >= 300) {
          hasErrors = true;
          if (body.haltOnError === true) halted = true;
        }
        results.push({ statusCode: outcome.status, result: outcome.body });
      }
      sendJson(rc.res, 200, { hasErrors, results });
    }),
  );

  router.add(
    'POST',
    `${base}/tree/:sobject`,
    restRoute(ctx, async (rc) => {
      const root = store.describe(rc.params.sobject ?? '');
      if (!root)
        throw errorResponse(404, {
          errorCode: 'NOT_FOUND',
          message: 'The requested resource does not exist',
        });
      const body = await readJsonObject(rc.req);
      const counter: TreeCounter = { records: 0, types: new Set() };
      countTree(body.records, 1, counter, store, root.name);
      if (counter.records > TREE_RECORD_LIMIT) {
        throw limitError(`An sObject tree request may contain at most ${TREE_RECORD_LIMIT} records`);
      }
      if (counter.types.size > TREE_TYPE_LIMIT) {
        throw limitError(`An sObject tree request may contain at most ${TREE_TYPE_LIMIT} object types`);
      }
      const results: { referenceId: string; id?: string; errors?: unknown[] }[] = [];
      const failures: typeof results = [];
      const insertAll = (
        type: string,
        records: Record<string, unknown>[],
        parent?: { field: string; id: string },
      ) => {
        const d = store.describe(type);
        if (!d) throw errorResponse(404, { errorCode: 'NOT_FOUND', message: `Unknown type ${type}` });
        for (const r of records) {
          const attributes = (r.attributes ?? {}) as { referenceId?: string };
          const referenceId = attributes.referenceId ?? '';
          const fields: Record<string, unknown> = {};
          const children: [string, string, Record<string, unknown>[]][] = [];
          for (const [key, value] of Object.entries(r)) {
            if (key === 'attributes') continue;
            const rel = d.childRelationships.find(
              (c) => c.relationshipName?.toLowerCase() === key.toLowerCase(),
            );
            if (rel && value && typeof value === 'object') {
              children.push([
                rel.childSObject,
                rel.field,
                ((value as { records?: unknown }).records ?? []) as Record<string, unknown>[],
              ]);
            } else fields[key] = value;
          }
          if (parent) fields[parent.field] = parent.id;
          let id: string;
          try {
            id = store.insert(d.name, fields, { userId: rc.session.userId });
          } catch (error) {
            if (!(error instanceof StoreError)) throw error;
            failures.push({
              referenceId,
              errors: [{ statusCode: error.errorCode, message: error.message, fields: error.fields }],
            });
            continue;
          }
          results.push({ referenceId, id });
          for (const [childType, field, childRecords] of children)
            insertAll(childType, childRecords, { field, id });
        }
      };
      store.transaction((tx) => {
        insertAll(root.name, body.records as Record<string, unknown>[]);
        if (failures.length > 0) tx.rollback();
      });
      if (failures.length > 0) return sendJson(rc.res, 400, { hasErrors: true, results: failures });
      sendJson(rc.res, 201, { hasErrors: false, results });
    }),
  );

  router.add(
    'POST',
    `${base}/graph`,
    restRoute(ctx, async (rc) => {
      const body = await readJsonObject(rc.req);
      if (!Array.isArray(body.graphs)) throw invalidRequest('graphs must be an array');
      const graphs = (body.graphs as Record<string, unknown>[]).map((g) => ({
        graphId: String(g?.graphId ?? ''),
        requests: readSubrequests(g?.compositeRequest, 'compositeRequest'),
      }));
      const nodes = graphs.reduce((n, g) => n + g.requests.length, 0);
      if (nodes > GRAPH_NODE_LIMIT) {
        throw limitError(`A composite graph request may contain at most ${GRAPH_NODE_LIMIT} nodes`);
      }
      sendJson(rc.res, 200, {
        graphs: graphs.map((g) => {
          const { responses, success } = runComposite(store, rc, g.requests, true);
          return {
            graphId: g.graphId,
            graphResponse: { compositeResponse: responses },
            isSuccessful: success,
          };
        }),
      });
    }),
  );
};
