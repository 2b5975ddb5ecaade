// The sub-resources an object's describe lists in `urls`: describe/layouts, describe/compactLayouts,
// listviews (with their results and describe) and quickActions (list, describe, execute). The
// others (approvalLayouts, namedLayouts, defaultValues, quick action default values) answer 404
// NOT_FOUND. Registered before the sObject row routes, which would read `describe` or
// `listviews` as a malformed record id.

import type { EmulatorContext, EmulatorModule } from '../context.js';
import type { SObjectDescribe } from '../describe-types.js';
import { errorResponse, NOT_FOUND, readJsonObject, sendJson } from '../http-util.js';
import {
  describeCompactLayouts,
  describeLayouts,
  type ListViewDefinition,
  listViewSoql,
  listViews,
  MASTER_RECORD_TYPE,
  pageLayout,
  quickActions,
} from '../metadata/layouts.js';
import { normalizeId } from '../ids.js';
import { type RestContext, restRoute } from '../rest-guard.js';
import { compileSoql, SoqlError } from '../soql/index.js';
import { wireField } from './sobjects.js';

export const describeSubresourceRoutes: EmulatorModule = (ctx: EmulatorContext) => {
  const { router, store } = ctx;
  const base = '/services/data/:version/sobjects/:sobject';

  const describeOf = (rc: RestContext): SObjectDescribe => {
    const d = store.describe(rc.params.sobject ?? '');
    if (!d) throw errorResponse(404, NOT_FOUND);
    return d;
  };
  const notFound = restRoute(ctx, () => {
    throw errorResponse(404, NOT_FOUND);
  });

  router.add(
    'GET',
    `${base}/describe/layouts`,
    restRoute(ctx, (rc) => {
      const d = describeOf(rc);
      sendJson(
        rc.res,
        200,
        describeLayouts(d, rc.version, (f) => wireField(d, f)),
      );
    }),
  );
  router.add(
    'GET',
    `${base}/describe/layouts/:recordTypeId`,
    restRoute(ctx, (rc) => {
      const d = describeOf(rc);
      if (normalizeId(rc.params.recordTypeId ?? '') !== MASTER_RECORD_TYPE)
        throw errorResponse(404, NOT_FOUND);
      sendJson(
        rc.res,
        200,
        pageLayout(d, rc.version, (f) => wireField(d, f)),
      );
    }),
  );
  router.add(
    'GET',
    `${base}/describe/compactLayouts`,
    restRoute(ctx, (rc) => {
      const d = describeOf(rc);
      sendJson(
        rc.res,
        200,
        describeCompactLayouts(d, rc.version, (f) => wireField(d, f)),
      );
    }),
  );
  router.add(
    'GET',
    `${base}/describe/compactLayouts/:recordTypeId`,
    restRoute(ctx, (rc) => {
      const d = describeOf(rc);
      if (normalizeId(rc.params.recordTypeId ?? '') !== MASTER_RECORD_TYPE)
        throw errorResponse(404, NOT_FOUND);
      sendJson(rc.res, 200, describeCompactLayouts(d, rc.version, (f) => wireField(d, f)).compactLayouts[0]);
    }),
  );
  // approvalLayouts, namedLayouts/{name} and anything else under describe/: not modelled.
  // (A pattern ending in `*` also matches nothing more, so `/describe` itself stays with sobjects.)
  router.add(['GET', 'POST', 'PATCH', 'PUT', 'DELETE'], `${base}/describe/:sub`, notFound);
  router.add(['GET', 'POST', 'PATCH', 'PUT', 'DELETE'], `${base}/describe/:sub/*`, notFound);
  router.add('GET', `${base}/defaultValues`, notFound);

  // ---- list views ----

  const listViewUrl = (rc: RestContext, d: SObjectDescribe, id: string) =>
    `/services/data/v${rc.version}/sobjects/${d.name}/listviews/${id}`;
  const listViewInfo = (rc: RestContext, d: SObjectDescribe, v: ListViewDefinition) => ({
    describeUrl: `${listViewUrl(rc, d, v.id)}/describe`,
    developerName: v.developerName,
    id: v.id,
    label: v.label,
    resultsUrl: `${listViewUrl(rc, d, v.id)}/results`,
    soqlCompatible: true,
    url: listViewUrl(rc, d, v.id),
  });
  const viewOf = (rc: RestContext, d: SObjectDescribe): ListViewDefinition => {
    const wanted = rc.params.listViewId ?? '';
    const id = normalizeId(wanted);
    const view = listViews(d).find((v) => v.id === id || v.developerName === wanted);
    if (!view) throw errorResponse(404, NOT_FOUND);
    return view;
  };
  const columnsOf = (v: ListViewDefinition) =>
    v.columns.map(({ field, hidden }, i) => ({
      ascendingLabel: field.type === 'string' ? 'Z-A' : 'Low to High',
      descendingLabel: field.type === 'string' ? 'A-Z' : 'High to Low',
      fieldNameOrPath: field.name,
      hidden,
      label: field.label,
      searchable: field.type === 'string',
      selectListItem: field.name,
      sortDirection: i === 0 ? 'ascending' : null,
      sortIndex: i === 0 ? 0 : null,
      sortable: field.sortable,
      type: field.type,
    }));

  router.add(
    'GET',
    `${base}/listviews`,
    restRoute(ctx, (rc) => {
      const d = describeOf(rc);
      const views = listViews(d);
      sendJson(rc.res, 200, {
        done: true,
        listviews: views.map((v) => listViewInfo(rc, d, v)),
        nextRecordsUrl: null,
        size: views.length,
        sobjectType: d.name,
      });
    }),
  );
  router.add(
    'GET',
    `${base}/listviews/:listViewId`,
    restRoute(ctx, (rc) => {
      const d = describeOf(rc);
      sendJson(rc.res, 200, listViewInfo(rc, d, viewOf(rc, d)));
    }),
  );
  router.add(
    'GET',
    `${base}/listviews/:listViewId/describe`,
    restRoute(ctx, (rc) => {
      const d = describeOf(rc);
      const v = viewOf(rc, d);
      sendJson(rc.res, 200, {
        columns: columnsOf(v),
        id: v.id,
        orderBy: [
          {
            fieldNameOrPath: v.columns[0]?.field.name ?? 'Id',
            nullsPosition: 'first',
            sortDirection: 'ascending',
          },
          { fieldNameOrPath: 'Id', nullsPosition: 'first', sortDirection: 'ascending' },
        ],
        query: listViewSoql(d, v, rc.session.userId),
        relatedEntityId: null,
        scope: v.scope,
        scopeEntityId: null,
        sobjectType: d.name,
        whereCondition: { conditions: [], conjunction: 'and' },
      });
    }),
  );
  router.add(
    'GET',
    `${base}/listviews/:listViewId/results`,
    restRoute(ctx, (rc) => {
      const d = describeOf(rc);
      const v = viewOf(rc, d);
      const limit = Math.min(2000, Math.max(1, Number(rc.url.searchParams.get('limit') ?? 25) || 25));
      const offset = Math.max(0, Number(rc.url.searchParams.get('offset') ?? 0) || 0);
      let records: Record<string, unknown>[];
      try {
        records = compileSoql(store, listViewSoql(d, v, rc.session.userId), {
          includeDeleted: false,
          apiVersion: rc.version,
        }).run().records;
      } catch (error) {
        if (SoqlError.is(error))
          throw errorResponse(400, { errorCode: error.errorCode, message: error.message });
        throw error;
      }
      const page = records.slice(offset, offset + limit);
      sendJson(rc.res, 200, {
        columns: columnsOf(v),
        developerName: v.developerName,
        done: offset + page.length >= records.length,
        id: v.id,
        label: v.label,
        records: page.map((r) => ({
          columns: v.columns.map(({ field }) => ({
            fieldNameOrPath: field.name,
            value: r[field.name] ?? null,
          })),
        })),
        size: page.length,
      });
    }),
  );

  // ---- quick actions ----

  const actionOf = (rc: RestContext, d: SObjectDescribe) => {
    const action = quickActions(d, rc.version).find((a) => a.name === rc.params.action);
    if (!action) throw errorResponse(404, NOT_FOUND);
    return action;
  };

  router.add(
    'GET',
    `${base}/quickActions`,
    restRoute(ctx, (rc) => {
      const d = describeOf(rc);
      sendJson(
        rc.res,
        200,
        quickActions(d, rc.version).map((a) => ({
          actionEnumOrId: a.name,
          label: a.label,
          name: a.name,
          type: a.type,
          urls: a.urls,
        })),
      );
    }),
  );
  const describeAction = restRoute(ctx, (rc) => {
    const d = describeOf(rc);
    const a = actionOf(rc, d);
    const target = store.describe(a.targetSobjectType);
    const layout = target
      ? pageLayout(target, rc.version, (f) => wireField(target, f)).editLayoutSections[0]
      : undefined;
    sendJson(rc.res, 200, {
      accessLevelRequired: null,
      canvasApplicationId: null,
      canvasApplicationName: null,
      colors: [],
      contextSobjectType: d.name,
      defaultValues: [],
      flowDevName: null,
      flowRecordIdVar: null,
      height: null,
      iconName: null,
      iconUrl: null,
      icons: [],
      label: a.label,
      layout: layout ?? null,
      lightningComponentBundleId: null,
      lightningComponentBundleName: null,
      lightningComponentQualifiedName: null,
      miniIconUrl: null,
      mobileExtensionDisplayMode: null,
      mobileExtensionId: null,
      name: a.name,
      showQuickActionLcHeader: true,
      showQuickActionVfHeader: true,
      targetParentField: a.targetParentField,
      targetRecordTypeId: null,
      targetSobjectType: a.targetSobjectType,
      type: a.type,
      visualforcePageName: null,
      visualforcePageUrl: null,
      width: null,
    });
  });
  router.add('GET', `${base}/quickActions/:action`, describeAction);
  router.add('GET', `${base}/quickActions/:action/describe`, describeAction);
  router.add(
    'POST',
    `${base}/quickActions/:action`,
    restRoute(ctx, async (rc) => {
      const d = describeOf(rc);
      const a = actionOf(rc, d);
      const body = await readJsonObject(rc.req);
      const contextId = typeof body.contextId === 'string' ? normalizeId(body.contextId) : undefined;
      const record = (body.record ?? {}) as Record<string, unknown>;
      const fields: Record<string, unknown> = { ...record };
      if (contextId && a.targetParentField) fields[a.targetParentField] = contextId;
      if (a.type === 'LogACall') fields.Status ??= 'Completed';
      const id = store.insert(a.targetSobjectType, fields, { userId: rc.session.userId });
      sendJson(rc.res, 200, {
        contextId: contextId ?? null,
        created: true,
        errors: [],
        feedItemIds: null,
        id,
        success: true,
      });
    }),
  );
  router.add('GET', `${base}/quickActions/:action/defaultValues`, notFound);
  router.add('GET', `${base}/quickActions/:action/defaultValues/:contextId`, notFound);
};
