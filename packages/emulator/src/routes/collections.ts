// sObject Collections: create, update, delete, retrieve and upsert up to 200 records in one
// request, results in input order, allOrNone rolling the whole request back.
// Upsert by external id for one record (PATCH /sobjects/{Obj}/{Field}/{value}: 201, 200, 300).

import type { EmulatorContext, EmulatorModule } from '../context.js';
import { errorResponse, NOT_FOUND, readJsonObject, sendJson } from '../http-util.js';
import { normalizeId } from '../ids.js';
import { fieldValue, type RecordResult, runRecordOps, upsertByExternalId } from '../record-ops.js';
import { type RestContext, restRoute } from '../rest-guard.js';
import { StoreError } from '../store-error.js';
import { recordUrl, serializeRecord } from './sobjects.js';

/** Salesforce's limit on records (or ids) in one Collections request. */
export const COLLECTION_LIMIT = 200;

function exceeded() {
  return errorResponse(400, {
    errorCode: 'EXCEEDED_ID_LIMIT',
    message: `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`,
  });
}

function invalidBody(message: string) {
  return errorResponse(400, { errorCode: 'JSON_PARSER_ERROR', message });
}

async function readCollection(
  rc: RestContext,
): Promise<{ allOrNone: boolean; records: Record<string, unknown>[] }> {
  const body = await readJsonObject(rc.req);
  const records = body.records;
  if (!Array.isArray(records)) throw invalidBody('records: an array of sObjects is required');
  if (records.length > COLLECTION_LIMIT) throw exceeded();
  if (records.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
    throw invalidBody('records: every entry must be an sObject');
  }
  return { allOrNone: body.allOrNone === true, records: records as Record<string, unknown>[] };
}

function typeOf(record: Record<string, unknown>): string {
  const attributes = record.attributes as { type?: unknown } | undefined;
  if (typeof attributes?.type !== 'string' || attributes.type === '') {
    throw new StoreError('INVALID_TYPE', 'Must send a concrete entity type.');
  }
  return attributes.type;
}

function idList(rc: RestContext): string[] {
  const raw = rc.url.searchParams.get('ids') ?? '';
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export const collectionRoutes: EmulatorModule = (ctx: EmulatorContext) => {
  const { router, store } = ctx;
  const base = '/services/data/:version/composite/sobjects';

  /** A write of the body's records, each through `write`, answered with results in input order. */
  const eachRecord = (
    write: (record: Record<string, unknown>, options: { userId: string }) => { id: string },
  ) =>
    restRoute(ctx, async (rc) => {
      const { allOrNone, records } = await readCollection(rc);
      const options = { userId: rc.session.userId };
      const results = runRecordOps(
        store,
        records.map((record) => () => write(record, options)),
        allOrNone,
      );
      sendJson(rc.res, 200, results);
    });

  router.add(
    'POST',
    base,
    eachRecord((record, options) => {
      if ('Id' in record || 'id' in record) {
        throw new StoreError('INVALID_FIELD', 'cannot specify Id in an insert call', { fields: ['Id'] });
      }
      return { id: store.insert(typeOf(record), record, options) };
    }),
  );

  router.add(
    'PATCH',
    base,
    eachRecord((record, options) => {
      const type = typeOf(record);
      const id = fieldValue(record, 'Id');
      if (typeof id !== 'string' || id === '') {
        throw new StoreError('MISSING_ARGUMENT', 'Id not specified in an update call', {
          fields: ['Id'],
        });
      }
      const id18 = normalizeId(id);
      if (!id18) throw new StoreError('MALFORMED_ID', `malformed id ${id}`, { fields: ['Id'] });
      if (store.objectNameOfId(id18)?.toLowerCase() !== type.toLowerCase()) {
        throw new StoreError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, {
          fields: ['Id'],
        });
      }
      store.update(type, id18, record, options);
      return { id: id18 };
    }),
  );

  router.add(
    'DELETE',
    base,
    restRoute(ctx, (rc) => {
      const ids = idList(rc);
      if (ids.length > COLLECTION_LIMIT) throw exceeded();
      const allOrNone = rc.url.searchParams.get('allOrNone') === 'true';
      const options = { userId: rc.session.userId };
      const results = runRecordOps(
        store,
        ids.map((raw) => () => {
          const id = normalizeId(raw);
          const type = id ? store.objectNameOfId(id) : undefined;
          if (!id || !type) throw new StoreError('MALFORMED_ID', `malformed id ${raw}`, { fields: [] });
          store.delete(type, id, options);
          return { id };
        }),
        allOrNone,
      );
      // A failed delete still names the id it was about.
      sendJson(
        rc.res,
        200,
        results.map((r, i) => (r.success ? r : { ...r, id: normalizeId(ids[i] ?? '') ?? ids[i] ?? null })),
      );
    }),
  );

  const retrieve = (rc: RestContext, ids: string[], fieldNames: string[] | undefined) => {
    const d = store.describe(rc.params.sobject ?? '');
    if (!d) throw errorResponse(404, NOT_FOUND);
    if (ids.length > 2000) throw exceeded();
    const fields = fieldNames
      ? fieldNames.map((name) => {
          const f = store.field(d.name, name);
          if (!f) {
            throw errorResponse(400, {
              errorCode: 'INVALID_FIELD',
              message: `No such column '${name}' on entity '${d.name}'.`,
            });
          }
          return f;
        })
      : d.fields;
    const records = ids.map((raw) => {
      const id = normalizeId(raw);
      const row = id ? store.get(d.name, id) : undefined;
      return row ? serializeRecord(d, row, rc.version, fields) : null;
    });
    sendJson(rc.res, 200, records);
  };

  const splitList = (raw: string | null) =>
    raw
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');

  router.add(
    'GET',
    `${base}/:sobject`,
    restRoute(ctx, (rc) => {
      if (idList(rc).length > COLLECTION_LIMIT) throw exceeded();
      retrieve(rc, idList(rc), splitList(rc.url.searchParams.get('fields')));
    }),
  );

  router.add(
    'POST',
    `${base}/:sobject`,
    restRoute(ctx, async (rc) => {
      const body = await readJsonObject(rc.req);
      const ids = Array.isArray(body.ids) ? body.ids.map(String) : [];
      const fields = Array.isArray(body.fields) ? body.fields.map(String) : undefined;
      retrieve(rc, ids, fields);
    }),
  );

  router.add(
    'PATCH',
    `${base}/:sobject/:field`,
    restRoute(ctx, async (rc) => {
      const d = store.describe(rc.params.sobject ?? '');
      if (!d) throw errorResponse(404, NOT_FOUND);
      const { allOrNone, records } = await readCollection(rc);
      const fieldName = rc.params.field ?? '';
      const options = { userId: rc.session.userId };
      // The same external id twice in one request is refused for each record that carries it.
      const counts = new Map<string, number>();
      for (const record of records) {
        const v = fieldValue(record, fieldName);
        if (v != null) counts.set(String(v).toLowerCase(), (counts.get(String(v).toLowerCase()) ?? 0) + 1);
      }
      const results: RecordResult[] = runRecordOps(
        store,
        records.map((record) => () => {
          const type = typeOf(record);
          if (type.toLowerCase() !== d.name.toLowerCase()) {
            throw new StoreError('INVALID_TYPE', `Record type ${type} does not match ${d.name}`);
          }
          const value = fieldValue(record, fieldName);
          if (value != null && (counts.get(String(value).toLowerCase()) ?? 0) > 1) {
            throw new StoreError(
              'DUPLICATE_EXTERNAL_ID',
              `Duplicate external id specified: ${String(value)}`,
              {
                fields: [fieldName],
              },
            );
          }
          const outcome = upsertByExternalId(store, d.name, fieldName, value, record, options);
          if (outcome.kind === 'multiple') {
            throw new StoreError(
              'DUPLICATE_EXTERNAL_ID',
              `${outcome.field}: more than one record found for external id field: [${outcome.ids.join(', ')}]`,
              { fields: [outcome.field] },
            );
          }
          return { id: outcome.id, created: outcome.kind === 'created' };
        }),
        allOrNone,
      );
      sendJson(rc.res, 200, results);
    }),
  );

  router.add(
    'PATCH',
    '/services/data/:version/sobjects/:sobject/:field/:value',
    restRoute(ctx, async (rc) => {
      const d = store.describe(rc.params.sobject ?? '');
      if (!d) throw errorResponse(404, NOT_FOUND);
      const body = await readJsonObject(rc.req);
      const outcome = upsertByExternalId(store, d.name, rc.params.field ?? '', rc.params.value ?? '', body, {
        userId: rc.session.userId,
      });
      if (outcome.kind === 'multiple') {
        return sendJson(
          rc.res,
          300,
          outcome.ids.map((id) => recordUrl(rc.version, d.name, id)),
        );
      }
      const created = outcome.kind === 'created';
      sendJson(rc.res, created ? 201 : 200, { id: outcome.id, success: true, errors: [], created });
    }),
  );
};
