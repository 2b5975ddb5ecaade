// The org-wide resources jsforce's Connection reads besides sObjects: GET /tabs, /theme and the
// global /quickActions (with each action's describe). Derived from the objects the emulator
// models: one tab and one theme item per object a user works with.

import type { EmulatorContext, EmulatorModule } from '../context.js';
import type { SObjectDescribe } from '../describe-types.js';
import { errorResponse, NOT_FOUND, sendJson } from '../http-util.js';
import { type RestContext, restRoute } from '../rest-guard.js';

/** Objects with a tab in a new org (the ones a user opens from the app menu). */
const TABBED = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'Task', 'Document', 'ContentDocument'];

const COLORS: Record<string, string> = {
  Account: '7F8DE1',
  Contact: 'A094ED',
  Lead: 'F88962',
  Opportunity: 'FCB95B',
  Case: 'F2CF5B',
  Task: '4BC076',
  Document: '969492',
  ContentDocument: '969492',
};

function icons(ctx: EmulatorContext, name: string) {
  const base = `${ctx.url}/img/icon/t4v35/standard/${name.toLowerCase()}`;
  return [
    { contentType: 'image/svg+xml', height: 0, theme: 'theme4', url: `${base}.svg`, width: 0 },
    { contentType: 'image/png', height: 120, theme: 'theme4', url: `${base}_120.png`, width: 120 },
  ];
}

function colors(name: string) {
  const color = COLORS[name] ?? '969492';
  return [{ color, context: 'primary', theme: 'theme4' }];
}

function tabbed(ctx: EmulatorContext): SObjectDescribe[] {
  const all = ctx.store.describeAll();
  return all.filter((d) => TABBED.includes(d.name) || d.custom);
}

/** The global actions of a new org: create records of the main objects, log a call. */
function globalActions(version: string) {
  const base = `/services/data/v${version}/quickActions`;
  return [
    ['NewTask', 'New Task', 'Create', 'Task'],
    ['NewContact', 'New Contact', 'Create', 'Contact'],
    ['NewOpportunity', 'New Opportunity', 'Create', 'Opportunity'],
    ['NewCase', 'New Case', 'Create', 'Case'],
    ['NewLead', 'New Lead', 'Create', 'Lead'],
    ['LogACall', 'Log a Call', 'LogACall', 'Task'],
  ].map(([name, label, type, target]) => ({
    actionEnumOrId: name as string,
    label: label as string,
    name: name as string,
    type: type as string,
    targetSobjectType: target as string,
    urls: {
      defaultValuesTemplate: `${base}/${name}/defaultValues/{ID}`,
      quickAction: `${base}/${name}`,
      describe: `${base}/${name}/describe`,
      defaultValues: `${base}/${name}/defaultValues`,
    },
  }));
}

export const uiResourceRoutes: EmulatorModule = (ctx: EmulatorContext) => {
  const { router } = ctx;
  const base = '/services/data/:version';

  router.add(
    'GET',
    `${base}/tabs`,
    restRoute(ctx, (rc) => {
      sendJson(
        rc.res,
        200,
        tabbed(ctx).map((d) => ({
          colors: colors(d.name),
          custom: d.custom,
          iconUrl: icons(ctx, d.name)[1]?.url,
          icons: icons(ctx, d.name),
          label: d.labelPlural,
          miniIconUrl: icons(ctx, d.name)[1]?.url,
          name: d.custom ? d.name : `standard-${d.name}`,
          sobjectName: d.name,
          url: `${ctx.url}/${d.keyPrefix ?? ''}/o`,
        })),
      );
    }),
  );

  router.add(
    'GET',
    `${base}/theme`,
    restRoute(ctx, (rc) => {
      sendJson(rc.res, 200, {
        themeItems: tabbed(ctx).map((d) => ({
          colors: colors(d.name),
          icons: icons(ctx, d.name),
          name: d.name,
        })),
      });
    }),
  );

  router.add(
    'GET',
    `${base}/quickActions`,
    restRoute(ctx, (rc) => {
      sendJson(
        rc.res,
        200,
        globalActions(rc.version).map(({ targetSobjectType: _t, ...a }) => a),
      );
    }),
  );

  const describeAction = restRoute(ctx, (rc: RestContext) => {
    const action = globalActions(rc.version).find((a) => a.name === rc.params.action);
    if (!action) throw errorResponse(404, NOT_FOUND);
    sendJson(rc.res, 200, {
      contextSobjectType: null,
      defaultValues: [],
      iconUrl: null,
      icons: [],
      label: action.label,
      name: action.name,
      targetParentField: null,
      targetRecordTypeId: null,
      targetSobjectType: action.targetSobjectType,
      type: action.type,
    });
  });
  router.add('GET', `${base}/quickActions/:action`, describeAction);
  router.add('GET', `${base}/quickActions/:action/describe`, describeAction);
};
