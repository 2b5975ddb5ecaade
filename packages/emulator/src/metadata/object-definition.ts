// What the store needs to know about an object beyond its describe: how child relationships
// are named on the parent side, which Salesforce keeps on the child's lookup field.

import type { FieldDescribe, SObjectDescribe } from '../describe-types.js';

export interface ObjectDefinition {
  describe: SObjectDescribe;
  /** Lookup field name → relationship name the parent lists it under (`AccountId` → `Contacts`). */
  childRelationshipNames: Record<string, string>;
}

export interface ObjectOptions {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: FieldDescribe[];
  custom?: boolean;
  createable?: boolean;
  updateable?: boolean;
  deletable?: boolean;
  /** False for objects SOSL does not search (Organization, PushTopic, Folder...). */
  searchable?: boolean;
  childRelationshipNames?: Record<string, string>;
}

/** Resource URLs of an object for one API version, as describe and describeGlobal list them. */
export function objectUrls(name: string, apiVersion: string): Record<string, string> {
  const base = `/services/data/v${apiVersion}/sobjects/${name}`;
  return {
    compactLayouts: `${base}/describe/compactLayouts`,
    rowTemplate: `${base}/{ID}`,
    approvalLayouts: `${base}/describe/approvalLayouts`,
    defaultValues: `${base}/defaultValues?recordTypeId&fields`,
    listviews: `${base}/listviews`,
    describe: `${base}/describe`,
    quickActions: `${base}/quickActions`,
    layouts: `${base}/describe/layouts`,
    sobject: base,
  };
}

export function defineObjectDescribe(o: ObjectOptions, apiVersion: string): ObjectDefinition {
  return {
    describe: {
      name: o.name,
      label: o.label,
      labelPlural: o.labelPlural,
      keyPrefix: o.keyPrefix,
      custom: o.custom ?? false,
      createable: o.createable ?? true,
      updateable: o.updateable ?? true,
      deletable: o.deletable ?? true,
      queryable: true,
      searchable: o.searchable ?? true,
      fields: o.fields,
      // Filled in by the store, which sees every object and so every lookup pointing here.
      childRelationships: [],
      urls: objectUrls(o.name, apiVersion),
    },
    childRelationshipNames: o.childRelationshipNames ?? {},
  };
}
