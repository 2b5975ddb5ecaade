// A compact way to write describe metadata: each field states only what differs from the
// defaults Salesforce uses for its type, so standard and custom objects share one source of truth.

import type { FieldDescribe, FieldType, PicklistValue } from '../describe-types.js';

export interface FieldOptions {
  label?: string;
  length?: number;
  precision?: number;
  scale?: number;
  /** Not nillable and no default: the insert must supply it. */
  required?: boolean;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  /** Neither createable nor updateable (system, formula and roll-up fields). */
  readOnly?: boolean;
  defaultedOnCreate?: boolean;
  calculated?: boolean;
  unique?: boolean;
  externalId?: boolean;
  idLookup?: boolean;
  nameField?: boolean;
  custom?: boolean;
  filterable?: boolean;
  sortable?: boolean;
  groupable?: boolean;
  referenceTo?: string[];
  relationshipName?: string;
  /** Picklist values; the first marked with a leading `*` is the default. */
  picklist?: string[];
}

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  combobox: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  time: 'xsd:time',
  base64: 'xsd:base64Binary',
  address: 'urn:address',
  location: 'urn:location',
  anyType: 'xsd:anyType',
};

const DEFAULT_LENGTH: Partial<Record<FieldType, number>> = {
  id: 18,
  reference: 18,
  string: 255,
  textarea: 255,
  picklist: 255,
  multipicklist: 4099,
  combobox: 255,
  email: 80,
  phone: 40,
  url: 255,
  base64: 0,
};

const DEFAULT_PRECISION: Partial<Record<FieldType, [number, number]>> = {
  currency: [18, 2],
  double: [18, 0],
  percent: [3, 0],
};

/** Types that are text on the wire and therefore carry a maximum length. */
export const TEXT_TYPES: ReadonlySet<FieldType> = new Set<FieldType>([
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'combobox',
  'email',
  'phone',
  'url',
]);

export function picklistValues(values: readonly string[]): PicklistValue[] {
  return values.map((raw) => {
    const defaultValue = raw.startsWith('*');
    const value = defaultValue ? raw.slice(1) : raw;
    return { value, label: value, active: true, defaultValue };
  });
}

function labelFromName(name: string): string {
  const base = name.replace(/__c$/, '').replace(/_/g, ' ');
  if (base.endsWith('Id') && base.length > 2)
    return base.slice(0, -2).replace(/([a-z])([A-Z])/g, '$1 $2') + ' ID';
  return base.replace(/([a-z])([A-Z])/g, '$1 $2');
}

export function field(name: string, type: FieldType, o: FieldOptions = {}): FieldDescribe {
  const readOnly = o.readOnly ?? (type === 'id' || type === 'address' || type === 'location');
  const createable = o.createable ?? !readOnly;
  const updateable = o.updateable ?? !readOnly;
  // Booleans are never null in Salesforce: they default to false instead.
  const nillable = o.nillable ?? (type === 'boolean' || type === 'id' ? false : !o.required);
  const longText = type === 'textarea' && (o.length ?? 255) > 255;
  const filterable =
    o.filterable ?? !(longText || type === 'base64' || type === 'address' || type === 'location');
  const [precision, scale] = DEFAULT_PRECISION[type] ?? [0, 0];
  return {
    name,
    label: o.label ?? labelFromName(name),
    type,
    soapType: SOAP_TYPES[type],
    length: o.length ?? DEFAULT_LENGTH[type] ?? 0,
    precision: o.precision ?? precision,
    scale: o.scale ?? scale,
    nillable,
    createable,
    updateable,
    filterable,
    sortable: o.sortable ?? (filterable && type !== 'multipicklist'),
    groupable:
      o.groupable ??
      (filterable && !['double', 'currency', 'percent', 'datetime', 'time', 'multipicklist'].includes(type)),
    unique: o.unique ?? false,
    externalId: o.externalId ?? false,
    idLookup: o.idLookup ?? (type === 'id' || o.externalId === true || o.unique === true),
    calculated: o.calculated ?? false,
    custom: o.custom ?? name.endsWith('__c'),
    defaultedOnCreate: o.defaultedOnCreate ?? (type === 'boolean' || type === 'id'),
    nameField: o.nameField ?? false,
    referenceTo: o.referenceTo ?? [],
    relationshipName: o.relationshipName ?? null,
    picklistValues: o.picklist ? picklistValues(o.picklist) : [],
  };
}

/** A lookup field: `ref('AccountId', 'Account')` gives relationship name `Account`. */
export function ref(name: string, targets: string | string[], o: FieldOptions = {}): FieldDescribe {
  const referenceTo = Array.isArray(targets) ? targets : [targets];
  const relationshipName = o.relationshipName ?? (name.endsWith('Id') ? name.slice(0, -2) : name);
  return field(name, 'reference', { ...o, referenceTo, relationshipName });
}

/** Fields every object has; `owner` adds OwnerId pointing at those objects. */
export function systemFields(owner?: string[]): { head: FieldDescribe[]; tail: FieldDescribe[] } {
  const head = [
    field('Id', 'id', { label: 'Record ID' }),
    ...(owner ? [ref('OwnerId', owner, { label: 'Owner ID', required: true, defaultedOnCreate: true })] : []),
    field('IsDeleted', 'boolean', { label: 'Deleted', readOnly: true }),
  ];
  const tail = [
    field('CreatedDate', 'datetime', {
      label: 'Created Date',
      readOnly: true,
      nillable: false,
      defaultedOnCreate: true,
    }),
    ref('CreatedById', 'User', {
      label: 'Created By ID',
      readOnly: true,
      nillable: false,
      defaultedOnCreate: true,
    }),
    field('LastModifiedDate', 'datetime', {
      label: 'Last Modified Date',
      readOnly: true,
      nillable: false,
      defaultedOnCreate: true,
    }),
    ref('LastModifiedById', 'User', {
      label: 'Last Modified By ID',
      readOnly: true,
      nillable: false,
      defaultedOnCreate: true,
    }),
    field('SystemModstamp', 'datetime', {
      label: 'System Modstamp',
      readOnly: true,
      nillable: false,
      defaultedOnCreate: true,
    }),
  ];
  return { head, tail };
}

/** A compound address field plus its components, named as Salesforce names them. */
export function addressFields(prefix: string, label: string): FieldDescribe[] {
  return [
    field(`${prefix}Street`, 'textarea', { label: `${label} Street` }),
    field(`${prefix}City`, 'string', { label: `${label} City`, length: 40 }),
    field(`${prefix}State`, 'string', { label: `${label} State/Province`, length: 80 }),
    field(`${prefix}PostalCode`, 'string', { label: `${label} Zip/Postal Code`, length: 20 }),
    field(`${prefix}Country`, 'string', { label: `${label} Country`, length: 80 }),
    field(`${prefix}Latitude`, 'double', { label: `${label} Latitude`, precision: 18, scale: 15 }),
    field(`${prefix}Longitude`, 'double', { label: `${label} Longitude`, precision: 18, scale: 15 }),
    field(`${prefix}GeocodeAccuracy`, 'picklist', {
      label: `${label} Geocode Accuracy`,
      length: 40,
      picklist: [
        'Address',
        'NearAddress',
        'Block',
        'Street',
        'ExtendedZip',
        'Zip',
        'Neighborhood',
        'City',
        'County',
        'State',
        'Unknown',
      ],
    }),
    field(`${prefix}Address`, 'address', { label: `${label} Address` }),
  ];
}
