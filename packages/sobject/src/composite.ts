// Composite resources: several operations in one API call. Salesforce's limits are checked
// before sending, so a request it would refuse fails here with a clear INVALID_ARGUMENT.

import { refuseOldArguments } from '@sf/core';
import { type Connection, isSalesforceError, salesforceError } from '@sf/core';
import { callOptions, SOURCE } from './errors.js';
import { checkApiName } from './path-segments.js';
import type { CallOptions, SObjectRecord } from './types.js';

/** Subrequests in one composite or composite batch request. */
export const COMPOSITE_LIMIT = 25;
/** Records in one sObject Tree request, object types in it, and its depth. */
export const TREE_LIMITS = { records: 200, types: 5, depth: 5 } as const;
/** Nodes (subrequests) across the graphs of one Composite Graph request. */
export const GRAPH_NODE_LIMIT = 500;

export interface CompositeSubrequest {
  method: string;
  /** `sobjects/Account` (relative to the API version), or `/services/data/vNN.N/...`. */
  url: string;
  /** Names the result for `@{referenceId.field}` references in later subrequests. */
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

export interface CompositeSubresponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

export interface CompositeOptions extends CallOptions {
  /** Roll every subrequest back when one fails. */
  allOrNone?: boolean;
  collateSubrequests?: boolean;
}

const REFERENCE_ID = /^[A-Za-z][A-Za-z0-9_]*$/;
const REFERENCE = /@\{([A-Za-z0-9_]+)[.[]/g;

function fullUrl(conn: Connection, url: string): string {
  if (typeof url !== 'string' || url === '')
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'every subrequest needs a url');
  // Relative to the connection's root: `/services/data/vNN.N/`, or its Tooling root on conn.tooling.
  return url.startsWith('/') ? url : `${conn.dataPath}${url}`;
}

/** References must name an earlier subrequest: Salesforce resolves them in order. */
function checkSubrequests(conn: Connection, subrequests: readonly CompositeSubrequest[], what: string) {
  if (!Array.isArray(subrequests) || subrequests.length === 0)
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `${what} needs subrequests`);
  const seen = new Set<string>();
  return subrequests.map((s, i) => {
    if (!s || typeof s.method !== 'string')
      throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `${what}: subrequest ${i} needs a method`);
    if (typeof s.referenceId !== 'string' || !REFERENCE_ID.test(s.referenceId)) {
      throw salesforceError(
        SOURCE,
        'INVALID_ARGUMENT',
        `${what}: subrequest ${i} needs a referenceId of letters, digits and underscores`,
      );
    }
    if (seen.has(s.referenceId))
      throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `${what}: duplicate referenceId ${s.referenceId}`);
    const text = JSON.stringify([s.url, s.body ?? null]);
    for (const m of text.matchAll(REFERENCE)) {
      if (!seen.has(m[1] as string)) {
        throw salesforceError(
          SOURCE,
          'INVALID_ARGUMENT',
          `${what}: subrequest ${s.referenceId} refers to ${m[1]}, which is not an earlier subrequest`,
        );
      }
    }
    seen.add(s.referenceId);
    return { ...s, method: s.method.toUpperCase(), url: fullUrl(conn, s.url) };
  });
}

/**
 * Composite: up to 25 subrequests in one API call, later ones using earlier results through
 * `@{referenceId.field}`.
 *
 * @example
 * const { compositeResponse } = await composite(conn, [
 *   { method: 'POST', url: 'sobjects/Account', referenceId: 'acc', body: { Name: 'Acme' } },
 *   { method: 'POST', url: 'sobjects/Contact', referenceId: 'con', body: { LastName: 'Lee', AccountId: '@{acc.id}' } },
 * ], { allOrNone: true });
 */
export async function composite(
  conn: Connection,
  subrequests: readonly CompositeSubrequest[],
  options: CompositeOptions = {},
): Promise<{ compositeResponse: CompositeSubresponse[] }> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'composite()', arguments);
  if (subrequests.length > COMPOSITE_LIMIT) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `composite takes at most ${COMPOSITE_LIMIT} subrequests, got ${subrequests.length}`,
    );
  }
  const compositeRequest = checkSubrequests(conn, subrequests, 'composite');
  return conn.request({
    method: 'POST',
    path: 'composite',
    body: {
      allOrNone: options.allOrNone === true,
      ...(options.collateSubrequests === undefined ? {} : { collateSubrequests: options.collateSubrequests }),
      compositeRequest,
    },
    ...callOptions(options),
  });
}

export interface BatchSubrequest {
  method: string;
  /** `sobjects/Account/001...` (relative to the API version). */
  url: string;
  richInput?: unknown;
}

/** What a composite batch answers (named apart from Bulk 1.0's `Bulk1BatchResult`). */
export interface CompositeBatchResult {
  hasErrors: boolean;
  results: { statusCode: number; result: unknown }[];
}

/** @deprecated The old name of {@link CompositeBatchResult}. */
export type BatchResult = CompositeBatchResult;

/**
 * Composite batch: up to 25 independent subrequests in one API call; with `haltOnError`, those
 * after a failure are not run.
 */
export async function compositeBatch(
  conn: Connection,
  requests: readonly BatchSubrequest[],
  options: CallOptions & { haltOnError?: boolean } = {},
): Promise<CompositeBatchResult> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'compositeBatch()', arguments);
  if (!Array.isArray(requests) || requests.length === 0)
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'compositeBatch needs subrequests');
  if (requests.length > COMPOSITE_LIMIT) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `compositeBatch takes at most ${COMPOSITE_LIMIT} subrequests, got ${requests.length}`,
    );
  }
  const batchRequests = requests.map((r) => {
    if (typeof r?.method !== 'string' || typeof r.url !== 'string')
      throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'every subrequest needs method and url');
    const url = r.url.startsWith('/services/data/')
      ? r.url.slice('/services/data/'.length)
      : r.url.startsWith('v') && /^v\d/.test(r.url)
        ? r.url
        : `${conn.dataPath.slice('/services/data/'.length)}${r.url}`;
    return {
      method: r.method.toUpperCase(),
      url,
      ...(r.richInput === undefined ? {} : { richInput: r.richInput }),
    };
  });
  return conn.request({
    method: 'POST',
    path: 'composite/batch',
    body: { batchRequests, haltOnError: options.haltOnError === true },
    ...callOptions(options),
  });
}

/** A record of an sObject Tree: `attributes.referenceId`, fields, and child relationships as `{ records: [...] }`. */
export type TreeRecord = SObjectRecord & { attributes: { type: string; referenceId: string } };

export interface TreeResult {
  hasErrors: boolean;
  results: { referenceId: string; id?: string; errors?: unknown[] }[];
}

function measureTree(records: unknown, depth: number, counts: { records: number; types: Set<string> }): void {
  if (depth > TREE_LIMITS.depth)
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `an sObject tree is at most ${TREE_LIMITS.depth} levels deep`,
    );
  if (!Array.isArray(records))
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'tree records must be an array');
  for (const r of records as Record<string, unknown>[]) {
    const attributes = r?.attributes as { type?: unknown; referenceId?: unknown } | undefined;
    if (typeof attributes?.type !== 'string' || typeof attributes.referenceId !== 'string') {
      throw salesforceError(
        SOURCE,
        'INVALID_ARGUMENT',
        'every tree record needs attributes.type and attributes.referenceId',
      );
    }
    counts.records += 1;
    counts.types.add(attributes.type.toLowerCase());
    for (const value of Object.values(r)) {
      if (value && typeof value === 'object' && Array.isArray((value as { records?: unknown }).records)) {
        measureTree((value as { records: unknown }).records, depth + 1, counts);
      }
    }
  }
}

/**
 * sObject Tree: a tree of records (parents with their children) created in one request, all
 * or none; at most 200 records, 5 types, 5 levels.
 *
 * @example
 * await sobjectTree(conn, 'Account', [{ attributes: { type: 'Account', referenceId: 'a1' }, Name: 'Acme',
 *   Contacts: { records: [{ attributes: { type: 'Contact', referenceId: 'c1' }, LastName: 'Lee' }] } }]);
 */
export async function sobjectTree(
  conn: Connection,
  type: string,
  records: readonly TreeRecord[],
  options: CallOptions = {},
): Promise<TreeResult> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'sobjectTree()', arguments);
  checkApiName(type, 'an sObject type name');
  const counts = { records: 0, types: new Set<string>() };
  measureTree(records, 1, counts);
  if (counts.records > TREE_LIMITS.records) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `an sObject tree holds at most ${TREE_LIMITS.records} records, got ${counts.records}`,
    );
  }
  if (counts.types.size > TREE_LIMITS.types) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `an sObject tree holds at most ${TREE_LIMITS.types} object types, got ${counts.types.size}`,
    );
  }
  try {
    return await conn.request<TreeResult>({
      method: 'POST',
      path: `composite/tree/${type}`,
      body: { records },
      ...callOptions(options),
    });
  } catch (error) {
    // A refused tree answers 400 with each referenceId's errors: hand those back as a result.
    const body = isSalesforceError(error) ? (error.body as Partial<TreeResult> | undefined) : undefined;
    if (body?.hasErrors === true && Array.isArray(body.results)) return body as TreeResult;
    throw error;
  }
}

export interface Graph {
  graphId: string;
  compositeRequest: CompositeSubrequest[];
}

export interface GraphResult {
  graphs: {
    graphId: string;
    isSuccessful: boolean;
    graphResponse: { compositeResponse: CompositeSubresponse[] };
  }[];
}

/**
 * Composite Graph: several graphs of subrequests, each all or none, up to 500 nodes in all.
 */
export async function compositeGraph(
  conn: Connection,
  graphs: readonly Graph[],
  options: CallOptions = {},
): Promise<GraphResult> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'compositeGraph()', arguments);
  if (!Array.isArray(graphs) || graphs.length === 0)
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'compositeGraph needs graphs');
  const ids = new Set<string>();
  let nodes = 0;
  const body = graphs.map((g) => {
    if (typeof g?.graphId !== 'string' || g.graphId === '')
      throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'every graph needs a graphId');
    if (ids.has(g.graphId))
      throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `duplicate graphId ${g.graphId}`);
    ids.add(g.graphId);
    nodes += Array.isArray(g.compositeRequest) ? g.compositeRequest.length : 0;
    return {
      graphId: g.graphId,
      compositeRequest: checkSubrequests(conn, g.compositeRequest, `graph ${g.graphId}`),
    };
  });
  if (nodes > GRAPH_NODE_LIMIT)
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `a composite graph request holds at most ${GRAPH_NODE_LIMIT} nodes, got ${nodes}`,
    );
  return conn.request({
    method: 'POST',
    path: 'composite/graph',
    body: { graphs: body },
    ...callOptions(options),
  });
}
