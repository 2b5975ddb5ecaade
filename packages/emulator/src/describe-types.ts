// Shapes of Salesforce's describe results, as the REST API returns them
// (GET /sobjects/{Obj}/describe). Only the members the emulator fills in are listed;
// the shared contract between the store, the REST routes and the SOQL engine.

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'time'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  | 'email'
  | 'phone'
  | 'url'
  | 'base64'
  | 'address'
  | 'location'
  | 'combobox'
  | 'anyType';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

export interface FieldDescribe {
  name: string;
  label: string;
  type: FieldType;
  soapType: string;
  length: number;
  precision: number;
  scale: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  filterable: boolean;
  sortable: boolean;
  groupable: boolean;
  unique: boolean;
  externalId: boolean;
  idLookup: boolean;
  calculated: boolean;
  custom: boolean;
  defaultedOnCreate: boolean;
  nameField: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  picklistValues: PicklistValue[];
}

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string | null;
  cascadeDelete: boolean;
}

export interface SObjectDescribe {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string | null;
  custom: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  searchable: boolean;
  fields: FieldDescribe[];
  childRelationships: ChildRelationship[];
  urls: Record<string, string>;
}

/**
 * What the SOQL engine reads. The store implements it; the engine never writes.
 * Object names are matched case-insensitively, as Salesforce does.
 */
export interface SoqlDataSource {
  describe(objectName: string): SObjectDescribe | undefined;
  /** Every object, for SOSL without RETURNING (which searches all searchable objects). */
  describeAll?(): SObjectDescribe[];
  /** Every row of an object, each keyed by exact field API name (Id, IsDeleted included). */
  rows(objectName: string, options: { includeDeleted: boolean }): Iterable<Readonly<Record<string, unknown>>>;
  /** A row by id, whichever object it belongs to (the key prefix tells), deleted rows included. */
  findById(id: string): { objectName: string; row: Readonly<Record<string, unknown>> } | undefined;
}
