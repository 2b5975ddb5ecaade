// Describe metadata of the Tooling API objects the emulator serves under
// /services/data/vNN.N/tooling/: ApexClass, ApexTrigger and ApexLog, with the fields of
// Salesforce's Tooling API object reference, trimmed to those a client is likely to read.
// ApexLog is read and delete only ("Supported REST HTTP Methods: Query, GET, DELETE").

import { field, ref, systemFields } from '../metadata/fields.js';
import {
  defineObjectDescribe,
  type ObjectDefinition,
  type ObjectOptions,
} from '../metadata/object-definition.js';

type Field = ReturnType<typeof field>;

function withSystem(fields: Field[]): Field[] {
  const { head, tail } = systemFields();
  return [...head, ...fields, ...tail];
}

const STATUS = ['*Active', 'Inactive', 'Deleted'];

const apexCode = (nameLength: number) => [
  field('NamespacePrefix', 'string', { label: 'Namespace Prefix', length: 15, readOnly: true }),
  field('Name', 'string', { length: nameLength, required: true, nameField: true }),
  field('ApiVersion', 'double', { label: 'Api Version', precision: 18, scale: 1 }),
  field('Status', 'picklist', { length: 40, nillable: false, defaultedOnCreate: true, picklist: STATUS }),
  field('IsValid', 'boolean', { label: 'Is Valid', readOnly: true }),
  field('BodyCrc', 'double', { label: 'Body CRC', readOnly: true, precision: 18, scale: 0 }),
  field('Body', 'textarea', { length: 1_000_000, required: true }),
  field('LengthWithoutComments', 'int', { label: 'Size Without Comments', readOnly: true }),
];

const apexClass: ObjectOptions = {
  name: 'ApexClass',
  label: 'Apex Class',
  labelPlural: 'Apex Classes',
  keyPrefix: '01p',
  searchable: false,
  fields: withSystem(apexCode(255)),
};

const apexTrigger: ObjectOptions = {
  name: 'ApexTrigger',
  label: 'Apex Trigger',
  labelPlural: 'Apex Triggers',
  keyPrefix: '01q',
  searchable: false,
  fields: withSystem([
    ...apexCode(255),
    field('TableEnumOrId', 'string', { label: 'Custom Object Definition ID', length: 40, required: true }),
    field('UsageBeforeInsert', 'boolean', { label: 'Before Insert' }),
    field('UsageAfterInsert', 'boolean', { label: 'After Insert' }),
    field('UsageBeforeUpdate', 'boolean', { label: 'Before Update' }),
    field('UsageAfterUpdate', 'boolean', { label: 'After Update' }),
    field('UsageBeforeDelete', 'boolean', { label: 'Before Delete' }),
    field('UsageAfterDelete', 'boolean', { label: 'After Delete' }),
    field('UsageAfterUndelete', 'boolean', { label: 'After Undelete' }),
  ]),
};

const apexLog: ObjectOptions = {
  name: 'ApexLog',
  label: 'Apex Debug Log',
  labelPlural: 'Apex Debug Logs',
  keyPrefix: '07L',
  searchable: false,
  createable: false,
  updateable: false,
  fields: withSystem([
    ref('LogUserId', 'User', { label: 'User ID', relationshipName: 'LogUser', readOnly: true }),
    field('LogLength', 'int', { label: 'Log Size (bytes)', readOnly: true }),
    field('Request', 'string', { length: 16, readOnly: true }),
    field('Operation', 'string', { length: 128, readOnly: true }),
    field('Application', 'string', { length: 64, readOnly: true }),
    field('Status', 'string', { length: 255, readOnly: true }),
    field('DurationMilliseconds', 'int', { label: 'Duration (ms)', readOnly: true }),
    field('StartTime', 'datetime', { label: 'Start Time', readOnly: true }),
    field('Location', 'picklist', {
      length: 40,
      readOnly: true,
      picklist: ['Monitoring', 'Profiling', 'SystemLog', 'HeapDump', 'Preserved'],
    }),
  ]),
};

const TOOLING: readonly ObjectOptions[] = [apexClass, apexTrigger, apexLog];

/** Fresh describe metadata of the Tooling API objects, for the Tooling root's own store. */
export function toolingObjects(apiVersion: string): ObjectDefinition[] {
  return TOOLING.map((o) => defineObjectDescribe(structuredClone(o), apiVersion));
}
