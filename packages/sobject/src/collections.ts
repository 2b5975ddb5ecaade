// Many records through sObject Collections: chunks of up to 200, sent one at a time or a few in
// parallel, results put back in input order, one result per input record whatever happens to
// other chunks.

import { isSalesforceError, salesforceError } from '@sf/core';
import { SOURCE } from './errors.js';
import type { CollectionOptions, RecordError, SaveResult } from './types.js';

/** Salesforce's limit on records in one Collections request. */
export const COLLECTION_LIMIT = 200;
const MAX_PARALLEL = 10;

/** A Collections result entry as Salesforce sends it (errors name their code `statusCode`). */
export interface WireSaveResult {
  id?: string | null;
  success: boolean;
  errors?: { statusCode?: string; errorCode?: string; message?: string; fields?: string[] }[];
  created?: boolean;
}

/** A wire result in this package's shape. */
export function toSaveResult(wire: WireSaveResult, fallbackId: string | null = null): SaveResult {
  const errors: RecordError[] = (wire.errors ?? []).map((e) => ({
    errorCode: e.statusCode ?? e.errorCode ?? 'UNKNOWN_EXCEPTION',
    message: e.message ?? '',
    fields: e.fields ?? [],
  }));
  const result: SaveResult = { id: wire.id ?? fallbackId, success: wire.success === true, errors };
  if (typeof wire.created === 'boolean') result.created = wire.created;
  return result;
}

function failed(id: string | null, error: RecordError): SaveResult {
  return { id, success: false, errors: [error] };
}

function errorOf(error: unknown): RecordError {
  if (isSalesforceError(error)) {
    return { errorCode: error.errorCode ?? error.code, message: error.message, fields: error.fields };
  }
  return {
    errorCode: 'UNKNOWN_EXCEPTION',
    message: error instanceof Error ? error.message : String(error),
    fields: [],
  };
}

/**
 * Sends `items` in chunks with `send` and returns one result per item, in input order. A chunk
 * that fails as a whole (network, 5xx, a malformed answer) gives each of its records that
 * error; other chunks are unaffected. Aborts reject with the signal's reason.
 */
export async function inChunks<I>(
  items: readonly I[],
  options: CollectionOptions,
  send: (chunk: I[]) => Promise<WireSaveResult[]>,
  idOf: (item: I) => string | null,
): Promise<SaveResult[]> {
  const size = options.chunkSize ?? COLLECTION_LIMIT;
  if (!Number.isInteger(size) || size < 1 || size > COLLECTION_LIMIT) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `chunkSize must be an integer from 1 to ${COLLECTION_LIMIT}`,
    );
  }
  const parallel = options.allOrNone ? 1 : (options.parallel ?? 1);
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > MAX_PARALLEL) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `parallel must be an integer from 1 to ${MAX_PARALLEL}`,
    );
  }
  const chunks: { start: number; items: I[] }[] = [];
  for (let start = 0; start < items.length; start += size)
    chunks.push({ start, items: items.slice(start, start + size) });
  const results = new Array<SaveResult>(items.length);
  let halted = false;
  let next = 0;

  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++] as (typeof chunks)[number];
      if (halted) {
        chunk.items.forEach((item, i) => {
          results[chunk.start + i] = failed(idOf(item), {
            errorCode: 'PROCESSING_HALTED',
            message:
              '[@sf/sobject] not sent: an earlier chunk of this allOrNone call failed (earlier chunks stay committed)',
            fields: [],
          });
        });
        continue;
      }
      let wire: WireSaveResult[] | undefined;
      let failure: RecordError | undefined;
      try {
        wire = await send(chunk.items);
        if (!Array.isArray(wire) || wire.length !== chunk.items.length) {
          failure = {
            errorCode: 'MALFORMED_RESPONSE',
            message: `[@sf/sobject] expected ${chunk.items.length} results, got ${Array.isArray(wire) ? wire.length : typeof wire}`,
            fields: [],
          };
        }
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        failure = errorOf(error);
      }
      chunk.items.forEach((item, i) => {
        const w = wire?.[i];
        results[chunk.start + i] =
          failure || !w ? failed(idOf(item), failure as RecordError) : toSaveResult(w, idOf(item));
      });
      if (options.allOrNone && chunk.items.some((_, i) => !results[chunk.start + i]?.success)) halted = true;
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, chunks.length) }, worker));
  return results;
}
