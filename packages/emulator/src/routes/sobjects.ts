// sObject resources: describeGlobal, basic info, describe, and row create/read/update/delete,
// plus blob fields (Attachment.Body, Document.Body, ContentVersion.VersionData) read as bytes.

import type { EmulatorContext, EmulatorModule } from '../context.js';
import type { FieldDescribe, SObjectDescribe } from '../describe-types.js';
import { errorResponse, HttpError, NOT_FOUND, readJsonObject, sendEmpty, sendJson } from '../http-util.js';
import { normalizeId } from '../ids.js';
import { objectUrls } from '../metadata/object-definition.js';
import { type RestContext, restRoute } from '../rest-guard.js';
import { createFromMultipart, isMultipart, sendBlob, updateFromMultipart } from './blobs.js';

const MERGEABLE = new Set(['Account', 'Contact', 'Lead', 'Case']);

function basicInfo(d: SObjectDescribe, version: string): Record<string, unknown> {
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: d.createable,
    custom: d.custom,
    customSetting: false,
    deepCloneable: false,
    deletable: d.deletable,
    deprecatedAndHidden: false,
    feedEnabled: !d.custom,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: d.keyPrefix,
    label: d.label,
    labelPlural: d.labelPlural,
    layoutable: true,
    mergeable: MERGEABLE.has(d.name),
    mruEnabled: true,
    name: d.name,
    queryable: d.queryable,
    replicateable: true,
    retrieveable: true,
    searchable: d.searchable,
    triggerable: true,
    undeletable: d.deletable,
    updateable: d.updateable,
    // Stored urls name the emulator's default version; answer in the version asked for.
    urls: objectUrls(d.name, version),
  };
}

/** The members a real describe has beyond the shared contract, with Salesforce's values. */
export function wireField(d: SObjectDescribe, f: FieldDescribe): Record<string, unknown> {
  const address = d.fields.find(
    (a) =>
      a.type === 'address' &&
      a !== f &&
      f.name.startsWith(a.name.slice(0, -'Address'.length)) &&
      [
        'Street',
        'City',
        'State',
        'PostalCode',
        'Country',
        'Latitude',
        'Longitude',
        'GeocodeAccuracy',
      ].includes(f.name.slice(a.name.length - 'Address'.length)),
  );
  const text = f.length > 0 && f.type !== 'base64';
  return {
    aggregatable: f.filterable,
    aiPredictionField: false,
    autoNumber: d.name === 'Case' && f.name === 'CaseNumber',
    byteLength: f.type === 'id' || f.type === 'reference' ? 18 : text ? f.length * 3 : 0,
    calculated: f.calculated,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: false,
    compoundFieldName: address ? address.name : null,
    controllerName: null,
    createable: f.createable,
    custom: f.custom,
    defaultValue: f.type === 'boolean' ? false : null,
    defaultValueFormula: null,
    defaultedOnCreate: f.defaultedOnCreate,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.type === 'int' ? f.precision || 9 : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: f.externalId,
    extraTypeInfo: null,
    filterable: f.filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: f.groupable,
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: f.idLookup,
    inlineHelpText: null,
    label: f.label,
    length: f.length,
    mask: null,
    maskType: null,
    name: f.name,
    nameField: f.nameField,
    namePointing: f.referenceTo.length > 1,
    nillable: f.nillable,
    permissionable: f.nillable && f.createable,
    picklistValues: f.picklistValues.map((p) => ({ ...p, validFor: null })),
    polymorphicForeignKey: f.referenceTo.length > 1,
    precision: f.type === 'int' ? 0 : f.precision,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: false,
    scale: f.scale,
    searchPrefilterable: false,
    soapType: f.soapType,
    sortable: f.sortable,
    type: f.type,
    unique: f.unique,
    updateable: f.updateable,
    writeRequiresMasterRead: false,
  };
}

function fullDescribe(d: SObjectDescribe, version: string): Record<string, unknown> {
  return {
    actionOverrides: [],
    ...basicInfo(d, version),
    childRelationships: d.childRelationships.map((c) => ({
      cascadeDelete: c.cascadeDelete,
      childSObject: c.childSObject,
      deprecatedAndHidden: false,
      field: c.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: c.relationshipName,
      restrictedDelete: false,
    })),
    compactLayoutable: true,
    fields: d.fields.map((f) => wireField(d, f)),
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [
      {
        active: true,
        available: true,
        defaultRecordTypeMapping: true,
        developerName: 'Master',
        master: true,
        name: 'Master',
        recordTypeId: '012000000000000AAA',
        urls: { layout: `/services/data/v${version}/sobjects/${d.name}/describe/layouts/012000000000000AAA` },
      },
    ],
    searchLayoutable: true,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [{ label: `All ${d.labelPlural.toLowerCase()}`, name: 'everything' }],
  };
}

/** True when the client's cached copy (If-Modified-Since) is still current. */
function notModifiedSince(rc: RestContext, changedAt: Date): boolean {
  const header = rc.req.headers['if-modified-since'];
  if (!header) return false;
  const since = Date.parse(header);
  return Number.isFinite(since) && changedAt.getTime() <= since;
}

export function recordUrl(version: string, objectName: string, id: string): string {
  return `/services/data/v${version}/sobjects/${objectName}/${id}`;
}

/** A row as the REST API returns it: attributes first, then fields in describe order. */
export function serializeRecord(
  d: SObjectDescribe,
  row: Record<string, unknown>,
  version: string,
  fields: FieldDescribe[] = d.fields,
): Record<string, unknown> {
  const url = recordUrl(version, d.name, row.Id as string);
  const out: Record<string, unknown> = { attributes: { type: d.name, url } };
  for (const f of fields) {
    const value = row[f.name] ?? null;
    // Blob fields read as the URL of their content, never inline.
    out[f.name] = f.type === 'base64' && value !== null ? `${url}/${f.name}` : value;
  }
  return out;
}

export const sobjectRoutes: EmulatorModule = (ctx: EmulatorContext) => {
  const { router, store } = ctx;
  const base = '/services/data/:version/sobjects';

  const describeOf = (rc: RestContext): SObjectDescribe => {
    const d = store.describe(rc.params.sobject ?? '');
    if (!d) throw errorResponse(404, NOT_FOUND);
    return d;
  };

  router.add(
    'GET',
    base,
    restRoute(ctx, (rc) => {
      const all = store.describeAll();
      const changedAt = new Date(Math.max(...all.map((d) => store.definedAt(d.name)?.getTime() ?? 0)));
      if (notModifiedSince(rc, changedAt)) return sendEmpty(rc.res, 304);
      sendJson(
        rc.res,
        200,
        { encoding: 'UTF-8', maxBatchSize: 200, sobjects: all.map((d) => basicInfo(d, rc.version)) },
        { 'last-modified': changedAt.toUTCString() },
      );
    }),
  );

  router.add(
    'GET',
    `${base}/:sobject/describe`,
    restRoute(ctx, (rc) => {
      const d = describeOf(rc);
      const changedAt = store.definedAt(d.name) ?? new Date(0);
      if (notModifiedSince(rc, changedAt)) return sendEmpty(rc.res, 304);
      sendJson(rc.res, 200, fullDescribe(d, rc.version), { 'last-modified': changedAt.toUTCString() });
    }),
  );

  router.add(
    'GET',
    `${base}/:sobject`,
    restRoute(ctx, (rc) => {
      const d = describeOf(rc);
      const nameField = d.fields.find((f) => f.nameField)?.name ?? 'Id';
      const recent = [...store.rows(d.name, { includeDeleted: false })].slice(-5).reverse();
      sendJson(rc.res, 200, {
        objectDescribe: basicInfo(d, rc.version),
        recentItems: recent.map((row) => ({
          attributes: { type: d.name, url: recordUrl(rc.version, d.name, row.Id as string) },
          Id: row.Id,
          [nameField]: row[nameField] ?? null,
        })),
      });
    }),
  );

  router.add(
    'POST',
    `${base}/:sobject`,
    restRoute(ctx, async (rc) => {
      const d = describeOf(rc);
      if (isMultipart(rc.req)) return createFromMultipart(rc, store, d.name);
      const body = await readJsonObject(rc.req);
      const id = store.insert(d.name, body, { userId: rc.session.userId });
      sendJson(rc.res, 201, { id, success: true, errors: [] });
    }),
  );

  /** The 18-character id of the path, or Salesforce's MALFORMED_ID. */
  const pathId = (rc: RestContext, d: SObjectDescribe): string => {
    const raw = rc.params.id ?? '';
    const id = normalizeId(raw);
    if (!id) {
      throw errorResponse(400, {
        errorCode: 'MALFORMED_ID',
        message: `${d.label} ID: id value of incorrect type: ${raw}`,
        fields: ['Id'],
      });
    }
    return id;
  };

  /** The fields of `?fields=a,b` (all by default), each checked against the object. */
  const requestedFields = (rc: RestContext, d: SObjectDescribe): FieldDescribe[] => {
    const requested = rc.url.searchParams.get('fields');
    if (!requested) return d.fields;
    return requested
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '')
      .map((name) => {
        const f = store.field(d.name, name);
        if (!f) {
          throw errorResponse(400, {
            errorCode: 'INVALID_FIELD',
            message: `No such column '${name}' on entity '${d.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
          });
        }
        return f;
      });
  };

  router.add(
    'GET',
    `${base}/:sobject/:id`,
    restRoute(ctx, (rc) => {
      const d = describeOf(rc);
      const row = store.get(d.name, pathId(rc, d));
      if (!row) throw errorResponse(404, NOT_FOUND);
      sendJson(rc.res, 200, serializeRecord(d, row, rc.version, requestedFields(rc, d)));
    }),
  );

  router.add(
    'PATCH',
    `${base}/:sobject/:id`,
    restRoute(ctx, async (rc) => {
      const d = describeOf(rc);
      const id = pathId(rc, d);
      if (isMultipart(rc.req)) return updateFromMultipart(rc, store, d.name, id);
      const body = await readJsonObject(rc.req);
      store.update(d.name, id, body, { userId: rc.session.userId });
      sendEmpty(rc.res, 204);
    }),
  );

  router.add(
    'DELETE',
    `${base}/:sobject/:id`,
    restRoute(ctx, (rc) => {
      const d = describeOf(rc);
      store.delete(d.name, pathId(rc, d), { userId: rc.session.userId });
      sendEmpty(rc.res, 204);
    }),
  );

  /**
   * Rows by external id (`/sobjects/{Obj}/{ExtField}/{value}`) share their path's shape with
   * blob fields (`/sobjects/{Obj}/{id}/{Field}`): a middle segment that is no record id but an
   * external id field (or `Id`) is read as the former.
   */
  const externalIdPath = (rc: RestContext, d: SObjectDescribe): FieldDescribe | undefined => {
    const segment = rc.params.id ?? '';
    if (normalizeId(segment)) return undefined;
    const f = store.field(d.name, segment);
    return f && (f.externalId || f.name === 'Id') ? f : undefined;
  };

  /** The ids of live rows whose external id field holds `value` (case-insensitively, as upsert matches). */
  const rowsByExternalId = (d: SObjectDescribe, f: FieldDescribe, value: string): string[] => {
    if (f.name === 'Id') {
      const id = normalizeId(value);
      return id && store.get(d.name, id) ? [id] : [];
    }
    const wanted = value.toLowerCase();
    const ids: string[] = [];
    for (const row of store.rows(d.name)) {
      if (row[f.name] != null && String(row[f.name]).toLowerCase() === wanted) ids.push(row.Id as string);
    }
    return ids;
  };

  /** The one row an external id names; 404 for none, 300 with the candidates' URLs for several. */
  const oneByExternalId = (rc: RestContext, d: SObjectDescribe, f: FieldDescribe): string => {
    const ids = rowsByExternalId(d, f, rc.params.field ?? '');
    if (ids.length === 0) throw errorResponse(404, NOT_FOUND);
    if (ids.length > 1) {
      throw new HttpError(
        300,
        ids.map((id) => recordUrl(rc.version, d.name, id)),
      );
    }
    return ids[0] as string;
  };

  router.add(
    'DELETE',
    `${base}/:sobject/:id/:field`,
    restRoute(ctx, (rc) => {
      const d = describeOf(rc);
      const f = externalIdPath(rc, d);
      if (!f) {
        throw errorResponse(404, {
          errorCode: 'NOT_FOUND',
          message: `Provided external ID field does not exist or is not accessible: ${rc.params.id ?? ''}`,
        });
      }
      store.delete(d.name, oneByExternalId(rc, d, f), { userId: rc.session.userId });
      sendEmpty(rc.res, 204);
    }),
  );

  router.add(
    'GET',
    `${base}/:sobject/:id/:field`,
    restRoute(ctx, async (rc) => {
      const d = describeOf(rc);
      const external = externalIdPath(rc, d);
      if (external) {
        const row = store.get(d.name, oneByExternalId(rc, d, external));
        if (!row) throw errorResponse(404, NOT_FOUND);
        return sendJson(rc.res, 200, serializeRecord(d, row, rc.version, requestedFields(rc, d)));
      }
      const row = store.get(d.name, pathId(rc, d));
      const f = store.field(d.name, rc.params.field ?? '');
      if (!row || !f || f.type !== 'base64') throw errorResponse(404, NOT_FOUND);
      const value = row[f.name];
      if (typeof value !== 'string') throw errorResponse(404, NOT_FOUND);
      const contentType = typeof row.ContentType === 'string' ? row.ContentType : 'application/octet-stream';
      await sendBlob(rc.res, Buffer.from(value, 'base64'), contentType);
    }),
  );
};
