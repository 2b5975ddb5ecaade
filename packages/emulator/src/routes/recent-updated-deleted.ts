// GET /recent, /sobjects/{Obj}/updated and /sobjects/{Obj}/deleted. Registered before the
// sObject row routes, which would otherwise read `updated` as a malformed record id.
//
// Less than Salesforce: "recent" means recently written (the emulator tracks no page views),
// and the date range is not limited to 30 days.

import type { EmulatorContext, EmulatorModule } from '../context.js';
import { errorResponse, NOT_FOUND, sendJson } from '../http-util.js';
import { type RestContext, restRoute } from '../rest-guard.js';
import { recordUrl } from './sobjects.js';

function range(rc: RestContext): { start: number; end: number; endText: string } {
  const start = rc.url.searchParams.get('start');
  const end = rc.url.searchParams.get('end');
  if (!start || !end) {
    throw errorResponse(400, {
      errorCode: 'MISSING_ARGUMENT',
      message: `${start ? 'end' : 'start'} parameter is required`,
    });
  }
  const s = Date.parse(start);
  const e = Date.parse(end);
  if (!Number.isFinite(s) || !Number.isFinite(e)) {
    throw errorResponse(400, { errorCode: 'INVALID_DATE_FORMAT', message: 'Invalid date format' });
  }
  if (e < s) {
    throw errorResponse(400, {
      errorCode: 'INVALID_REPLICATION_DATE',
      message: 'end date is before start date',
    });
  }
  return { start: s, end: e, endText: new Date(e).toISOString().replace('Z', '+0000') };
}

function modifiedAt(row: Readonly<Record<string, unknown>>): number {
  return Date.parse(String(row.SystemModstamp ?? row.LastModifiedDate ?? ''));
}

export const recentUpdatedDeletedRoutes: EmulatorModule = (ctx: EmulatorContext) => {
  const { router, store } = ctx;
  const base = '/services/data/:version/sobjects/:sobject';

  const describeOf = (rc: RestContext) => {
    const d = store.describe(rc.params.sobject ?? '');
    if (!d) throw errorResponse(404, NOT_FOUND);
    return d;
  };

  router.add(
    'GET',
    `${base}/updated`,
    restRoute(ctx, (rc) => {
      const d = describeOf(rc);
      const { start, end, endText } = range(rc);
      const ids: string[] = [];
      for (const row of store.rows(d.name)) {
        const t = modifiedAt(row);
        if (t >= start && t <= end) ids.push(row.Id as string);
      }
      sendJson(rc.res, 200, { ids, latestDateCovered: endText });
    }),
  );

  router.add(
    'GET',
    `${base}/deleted`,
    restRoute(ctx, (rc) => {
      const d = describeOf(rc);
      const { start, end, endText } = range(rc);
      const deletedRecords: { id: string; deletedDate: unknown }[] = [];
      for (const row of store.rows(d.name, { includeDeleted: true })) {
        if (row.IsDeleted !== true) continue;
        const t = modifiedAt(row);
        if (t >= start && t <= end)
          deletedRecords.push({ id: row.Id as string, deletedDate: row.SystemModstamp });
      }
      // Documented as the time of the last physically deleted record of the type: deletes before
      // it can no longer be replicated. The emulator keeps every soft-deleted row (nothing is ever
      // purged from its recycle bin), so every delete since the org began is still available.
      const org = store.get('Organization', store.orgId);
      sendJson(rc.res, 200, {
        deletedRecords,
        earliestDateAvailable: org?.CreatedDate ?? null,
        latestDateCovered: endText,
      });
    }),
  );

  router.add(
    'GET',
    '/services/data/:version/recent',
    restRoute(ctx, (rc) => {
      const limit = Math.min(200, Math.max(1, Number(rc.url.searchParams.get('limit') ?? 200) || 200));
      const rows: { type: string; row: Readonly<Record<string, unknown>>; nameField: string }[] = [];
      for (const d of store.describeAll()) {
        if (!d.queryable || ['Organization', 'User'].includes(d.name)) continue;
        const nameField = d.fields.find((f) => f.nameField)?.name ?? 'Id';
        for (const row of store.rows(d.name)) rows.push({ type: d.name, row, nameField });
      }
      rows.sort((a, b) => modifiedAt(b.row) - modifiedAt(a.row));
      sendJson(
        rc.res,
        200,
        rows.slice(0, limit).map(({ type, row, nameField }) => ({
          attributes: { type, url: recordUrl(rc.version, type, row.Id as string) },
          Id: row.Id,
          [nameField]: row[nameField] ?? null,
        })),
      );
    }),
  );
};
