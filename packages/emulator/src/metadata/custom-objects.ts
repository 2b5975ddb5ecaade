// Turns a caller's short custom object declaration into the full describe Salesforce would
// generate for it, standard fields included.

import type { FieldDescribe, FieldType } from '../describe-types.js';
import { field, type FieldOptions, ref, systemFields } from './fields.js';
import { defineObjectDescribe, type ObjectDefinition } from './object-definition.js';
import { standardObjects } from './standard-objects.js';

/** A custom field as declared by the caller; everything else is derived from `type`. */
export interface CustomFieldDefinition {
  /** API name, ending in `__c`. */
  name: string;
  type: FieldType;
  label?: string;
  required?: boolean;
  externalId?: boolean;
  unique?: boolean;
  length?: number;
  precision?: number;
  scale?: number;
  /** For `reference` fields: the parent object. */
  referenceTo?: string;
  /** For `reference` fields: defaults to the field name with `__c` replaced by `__r`. */
  relationshipName?: string;
  /** For `reference` fields: what the parent calls its children (defaults to `Invoices__r`). */
  childRelationshipName?: string;
  picklistValues?: string[];
}

/**
 * A custom object as declared by the caller: `{ name: 'Invoice__c', fields: [...] }`. Naming a
 * standard object instead (`{ name: 'Account', fields: [{ name: 'SLA__c', ... }] }`) adds
 * custom fields to it.
 */
export interface CustomObjectDefinition {
  /** API name, ending in `__c`; or a standard object's name, to add custom fields to it. */
  name: string;
  label?: string;
  labelPlural?: string;
  fields: CustomFieldDefinition[];
}

function humanize(apiName: string): string {
  return apiName.replace(/__c$/, '').replace(/_/g, ' ');
}

function customField(def: CustomFieldDefinition): FieldDescribe {
  const o: FieldOptions = { label: def.label ?? humanize(def.name), custom: true };
  if (def.required !== undefined) o.required = def.required;
  if (def.externalId !== undefined) o.externalId = def.externalId;
  if (def.unique !== undefined) o.unique = def.unique;
  if (def.length !== undefined) o.length = def.length;
  if (def.precision !== undefined) o.precision = def.precision;
  if (def.scale !== undefined) o.scale = def.scale;
  if (def.picklistValues) o.picklist = def.picklistValues;
  // Custom long text areas default to Salesforce's 32,768 rather than the standard 255.
  if (def.type === 'textarea' && def.length === undefined) o.length = 32768;
  if (def.type === 'reference') {
    if (!def.referenceTo)
      throw new TypeError(`[@sf/emulator] ${def.name}: a reference field needs referenceTo`);
    o.relationshipName = def.relationshipName ?? def.name.replace(/__c$/, '__r');
    return ref(def.name, def.referenceTo, o);
  }
  return field(def.name, def.type, o);
}

/**
 * A standard object with the caller's custom fields added after its own (`SLA__c` on Account),
 * as an org's admin adds them in Setup. Redeclaring replaces the custom fields declared before.
 */
function standardWithCustomFields(def: CustomObjectDefinition, apiVersion: string): ObjectDefinition {
  const base = standardObjects(apiVersion).find(
    (o) => o.describe.name.toLowerCase() === def.name.toLowerCase(),
  );
  if (!base) {
    throw new TypeError(
      `[@sf/emulator] custom object names end in __c, and ${def.name} is no standard object the emulator knows`,
    );
  }
  const taken = new Set(base.describe.fields.map((f) => f.name.toLowerCase()));
  const childRelationshipNames = { ...base.childRelationshipNames };
  for (const f of def.fields) {
    if (taken.has(f.name.toLowerCase()))
      throw new TypeError(`[@sf/emulator] ${def.name} already has ${f.name}`);
    if (f.type === 'reference')
      childRelationshipNames[f.name] =
        f.childRelationshipName ?? `${base.describe.labelPlural.replace(/\W/g, '')}__r`;
  }
  base.describe.fields.push(...def.fields.map((f) => customField(f)));
  return { describe: base.describe, childRelationshipNames };
}

export function customObjectDefinition(
  def: CustomObjectDefinition,
  keyPrefix: string,
  apiVersion: string,
): ObjectDefinition {
  for (const f of def.fields) {
    if (!f.name.endsWith('__c'))
      throw new TypeError(`[@sf/emulator] custom field names end in __c: ${f.name}`);
  }
  if (!def.name.endsWith('__c')) return standardWithCustomFields(def, apiVersion);
  const base = def.name.slice(0, -3);
  const label = def.label ?? humanize(def.name);
  const { head, tail } = systemFields(['Group', 'User']);
  const childRelationshipNames: Record<string, string> = {};
  for (const f of def.fields) {
    if (f.type === 'reference') childRelationshipNames[f.name] = f.childRelationshipName ?? `${base}s__r`;
  }
  return defineObjectDescribe(
    {
      name: def.name,
      label,
      labelPlural: def.labelPlural ?? `${label}s`,
      keyPrefix,
      custom: true,
      childRelationshipNames,
      fields: [
        ...head,
        // Salesforce fills a blank Name with the record id, so it is not required on insert.
        field('Name', 'string', {
          label: `${label} Name`,
          length: 80,
          nameField: true,
          nillable: true,
          defaultedOnCreate: true,
        }),
        ...tail,
        ...def.fields.map((f) => customField(f)),
      ],
    },
    apiVersion,
  );
}
