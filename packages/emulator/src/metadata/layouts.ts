// Page layouts, compact layouts, list views and quick actions of an object, derived from its
// describe: the emulator has no Setup to edit them, so each object gets the ones a new org
// starts with, in the shapes the REST describe sub-resources answer.

import type { FieldDescribe, SObjectDescribe } from '../describe-types.js';
import { idChecksum } from '../ids.js';

/** The master record type every object answers with. */
export const MASTER_RECORD_TYPE = '012000000000000AAA';

/** A stable 18-character id for metadata of an object (`kind` is a key prefix: 00h, 0AH, 00B, 09D). */
export function metadataId(kind: string, d: SObjectDescribe, index = 0): string {
  let h = 7;
  for (const c of `${d.name}#${index}`) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const digits = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let body = '';
  for (let i = 0; i < 12; i++) {
    body += digits[h % 62];
    h = Math.floor(h / 62) || (h * 7 + i + 1) >>> 0;
  }
  const id15 = `${kind}${body}`.slice(0, 15);
  return id15 + idChecksum(id15);
}

/** Fields a layout shows: what a user can edit, then the system fields, in describe order. */
function layoutFields(d: SObjectDescribe): FieldDescribe[] {
  return d.fields.filter(
    (f) =>
      (f.createable || f.updateable) && f.type !== 'base64' && f.name !== 'Id' && !f.name.endsWith('Id__c'),
  );
}

function layoutItem(f: FieldDescribe, details: (f: FieldDescribe) => unknown, tabOrder: number) {
  return {
    editableForNew: f.createable,
    editableForUpdate: f.updateable,
    label: f.label,
    layoutComponents: [{ details: details(f), displayLines: 1, tabOrder, type: 'Field', value: f.name }],
    placeholder: false,
    required: !f.nillable && f.createable && !f.defaultedOnCreate,
  };
}

function section(
  heading: string,
  fields: FieldDescribe[],
  details: (f: FieldDescribe) => unknown,
  d: SObjectDescribe,
  index: number,
) {
  const rows = [];
  for (let i = 0; i < fields.length; i += 2) {
    const pair = fields.slice(i, i + 2).map((f, j) => layoutItem(f, details, i + j + 1));
    rows.push({ layoutItems: pair, numItems: pair.length });
  }
  return {
    collapsed: false,
    columns: 2,
    heading,
    layoutRows: rows,
    layoutSectionId: metadataId('01B', d, index),
    parentLayoutId: metadataId('00h', d),
    rows: rows.length,
    tabOrder: 'TopToBottom',
    useCollapsibleSection: false,
    useHeading: true,
  };
}

/** One page layout of the object, as `describe/layouts` lists it. */
export function pageLayout(d: SObjectDescribe, version: string, details: (f: FieldDescribe) => unknown) {
  const system = d.fields.filter((f) => ['CreatedById', 'LastModifiedById'].includes(f.name));
  const sections = [
    section(`${d.label} Information`, layoutFields(d), details, d, 0),
    section('System Information', system, details, d, 1),
  ];
  return {
    buttonLayoutSection: {
      detailButtons: [
        {
          behavior: null,
          colors: null,
          content: null,
          contentSource: null,
          custom: false,
          encoding: null,
          height: null,
          icons: null,
          label: 'Edit',
          menubar: false,
          name: 'Edit',
          overridden: false,
          resizeable: false,
          scrollbars: false,
          showsLocation: false,
          showsStatus: false,
          toolbar: false,
          url: null,
          width: null,
          windowPosition: null,
        },
      ],
    },
    detailLayoutSections: sections,
    editLayoutSections: sections,
    feedView: null,
    highlightsPanelLayoutSection: null,
    id: metadataId('00h', d),
    multirowEditLayoutSections: [],
    offlineLinks: [],
    quickActionList: {
      quickActionListItems: quickActions(d, version).map((a) => ({
        accessLevelRequired: null,
        colors: [],
        iconUrl: null,
        icons: [],
        label: a.label,
        miniIconUrl: null,
        quickActionName: a.name,
        targetSobjectType: a.targetSobjectType,
        type: a.type,
        urls: a.urls,
      })),
    },
    relatedContent: null,
    relatedLists: d.childRelationships
      .filter((c) => c.relationshipName !== null)
      .map((c) => ({
        accessLevelRequiredForCreate: null,
        buttons: [],
        columns: [
          {
            field: `${c.childSObject}.Id`,
            fieldApiName: 'Id',
            format: null,
            label: 'Id',
            lookupId: null,
            name: 'Id',
            sortable: true,
          },
        ],
        custom: false,
        field: c.field,
        label: c.relationshipName,
        limitRows: 5,
        name: c.relationshipName,
        sobject: c.childSObject,
        sort: [],
      })),
    saveOptions: [],
  };
}

function recordTypeMapping(d: SObjectDescribe, version: string) {
  return {
    active: true,
    available: true,
    defaultRecordTypeMapping: true,
    developerName: 'Master',
    layoutId: metadataId('00h', d),
    master: true,
    name: 'Master',
    picklistsForRecordType: d.fields
      .filter((f) => f.type === 'picklist' || f.type === 'multipicklist')
      .map((f) => ({ picklistName: f.name, picklistValues: f.picklistValues })),
    recordTypeId: MASTER_RECORD_TYPE,
    urls: { layout: `/services/data/v${version}/sobjects/${d.name}/describe/layouts/${MASTER_RECORD_TYPE}` },
  };
}

/** `GET /sobjects/{Obj}/describe/layouts`. */
export function describeLayouts(d: SObjectDescribe, version: string, details: (f: FieldDescribe) => unknown) {
  return {
    layouts: [pageLayout(d, version, details)],
    recordTypeMappings: [recordTypeMapping(d, version)],
    recordTypeSelectorRequired: [false],
  };
}

/** The system default compact layout: the name field and up to three more a user sees first. */
function compactLayout(d: SObjectDescribe, details: (f: FieldDescribe) => unknown) {
  const name = d.fields.find((f) => f.nameField);
  const more = [
    'Title',
    'Phone',
    'Email',
    'Type',
    'Company',
    'Status',
    'StageName',
    'Amount',
    'CloseDate',
    'OwnerId',
  ]
    .map((n) => d.fields.find((f) => f.name === n))
    .filter((f): f is FieldDescribe => f !== undefined)
    .slice(0, 3);
  const fields = [...(name ? [name] : []), ...more];
  return {
    actions: [],
    fieldItems: fields.map((f, i) => layoutItem(f, details, i + 1)),
    id: metadataId('0AH', d),
    imageItems: [],
    label: 'System Default',
    name: 'SYSTEM',
    objectType: d.name,
  };
}

/** `GET /sobjects/{Obj}/describe/compactLayouts`. */
export function describeCompactLayouts(
  d: SObjectDescribe,
  version: string,
  details: (f: FieldDescribe) => unknown,
) {
  const layout = compactLayout(d, details);
  return {
    compactLayouts: [layout],
    defaultCompactLayoutId: layout.id,
    recordTypeCompactLayoutMappings: [
      {
        available: true,
        compactLayoutId: layout.id,
        compactLayoutName: layout.name,
        recordTypeId: MASTER_RECORD_TYPE,
        recordTypeName: 'Master',
        urls: {
          compactLayout: `/services/data/v${version}/sobjects/${d.name}/describe/compactLayouts/${MASTER_RECORD_TYPE}`,
        },
      },
    ],
    urls: { compactLayouts: `/services/data/v${version}/sobjects/${d.name}/describe/compactLayouts` },
  };
}

/** One list view: its SOQL and columns. */
export interface ListViewDefinition {
  id: string;
  developerName: string;
  label: string;
  /** Columns shown, then hidden ones (Id and the system dates), as list view results list them. */
  columns: { field: FieldDescribe; hidden: boolean }[];
  /** The WHERE clause, without the keyword; empty for none. */
  where: string;
  scope: 'everything' | 'mine';
}

/** The list views a new org has for an object: All, My (when rows have an owner), New This Week. */
export function listViews(d: SObjectDescribe): ListViewDefinition[] {
  const plural = d.labelPlural.replace(/[^A-Za-z0-9]/g, '');
  const byName = (n: string) => d.fields.find((f) => f.name === n);
  const name = d.fields.find((f) => f.nameField) ?? byName('Id');
  const shown = ['Site', 'Title', 'Company', 'Phone', 'Email', 'Type', 'StageName', 'Status', 'CloseDate']
    .map(byName)
    .filter((f): f is FieldDescribe => f !== undefined)
    .slice(0, 3);
  const hidden = ['Id', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp']
    .map(byName)
    .filter((f): f is FieldDescribe => f !== undefined);
  const columns = [
    ...[name, ...shown]
      .filter((f): f is FieldDescribe => f !== undefined)
      .map((field) => ({ field, hidden: false })),
    ...hidden.filter((f) => f !== name).map((field) => ({ field, hidden: true })),
  ];
  const views: ListViewDefinition[] = [
    {
      id: metadataId('00B', d, 0),
      developerName: `All${plural}`,
      label: `All ${d.labelPlural}`,
      columns,
      where: '',
      scope: 'everything',
    },
  ];
  if (byName('OwnerId')) {
    views.push({
      id: metadataId('00B', d, 1),
      developerName: `My${plural}`,
      label: `My ${d.labelPlural}`,
      columns,
      where: 'OwnerId = :userId',
      scope: 'mine',
    });
  }
  views.push({
    id: metadataId('00B', d, 2),
    developerName: 'NewThisWeek',
    label: 'New This Week',
    columns,
    where: 'CreatedDate = THIS_WEEK',
    scope: 'everything',
  });
  return views;
}

/** The list view's SOQL, with `:userId` bound. */
export function listViewSoql(d: SObjectDescribe, view: ListViewDefinition, userId: string): string {
  const name = view.columns[0]?.field.name ?? 'Id';
  const where = view.where.replace(':userId', `'${userId}'`);
  return `SELECT ${view.columns.map((c) => c.field.name).join(', ')} FROM ${d.name}${where ? ` WHERE ${where}` : ''} ORDER BY ${name} ASC NULLS FIRST, Id ASC NULLS FIRST`;
}

/** A quick action as `GET /sobjects/{Obj}/quickActions` lists it. */
export interface QuickActionInfo {
  name: string;
  label: string;
  type: 'Create' | 'LogACall' | 'Update';
  targetSobjectType: string;
  /** The lookup on the target that points back at the context record. */
  targetParentField: string | null;
  urls: Record<string, string>;
}

/** The standard actions an object's layout offers: new child records, a task, and a call log. */
export function quickActions(d: SObjectDescribe, version: string): QuickActionInfo[] {
  const base = `/services/data/v${version}/sobjects/${d.name}/quickActions`;
  const make = (
    name: string,
    label: string,
    type: QuickActionInfo['type'],
    targetSobjectType: string,
    targetParentField: string | null,
  ): QuickActionInfo => ({
    name,
    label,
    type,
    targetSobjectType,
    targetParentField,
    urls: {
      defaultValuesTemplate: `${base}/${name}/defaultValues/{ID}`,
      quickAction: `${base}/${name}`,
      describe: `${base}/${name}/describe`,
      defaultValues: `${base}/${name}/defaultValues`,
    },
  });
  const actions: QuickActionInfo[] = [];
  const childLookup = (child: string) =>
    d.childRelationships.find((c) => c.childSObject === child && c.relationshipName !== null)?.field ?? null;
  for (const [child, label] of [
    ['Contact', 'New Contact'],
    ['Opportunity', 'New Opportunity'],
    ['Case', 'New Case'],
  ] as const) {
    const field = childLookup(child);
    if (field) actions.push(make(`New${child}`, label, 'Create', child, field));
  }
  const what = ['Account', 'Opportunity', 'Case'].includes(d.name);
  const who = ['Contact', 'Lead'].includes(d.name);
  if (what || who) {
    const field = what ? 'WhatId' : 'WhoId';
    actions.push(make('NewTask', 'New Task', 'Create', 'Task', field));
    actions.push(make('LogACall', 'Log a Call', 'LogACall', 'Task', field));
  }
  return actions;
}
