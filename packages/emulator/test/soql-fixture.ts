// A small in-memory SoqlDataSource with hand-written describes, shared by the soql-* tests.
import type {
  ChildRelationship,
  FieldDescribe,
  FieldType,
  SObjectDescribe,
  SoqlDataSource,
} from '../src/describe-types.js';
import type { SoqlOptions } from '../src/soql/index.js';

type Row = Record<string, unknown>;

export function field(name: string, type: FieldType, extra: Partial<FieldDescribe> = {}): FieldDescribe {
  return {
    name,
    label: name,
    type,
    soapType: 'xsd:string',
    length: 255,
    precision: 0,
    scale: 0,
    nillable: true,
    createable: true,
    updateable: true,
    filterable: true,
    sortable: true,
    groupable: true,
    unique: false,
    externalId: false,
    idLookup: false,
    calculated: false,
    custom: name.endsWith('__c'),
    defaultedOnCreate: false,
    nameField: false,
    referenceTo: [],
    relationshipName: null,
    picklistValues: [],
    ...extra,
  };
}

const ref = (name: string, to: string, relationshipName: string) =>
  field(name, 'reference', { referenceTo: [to], relationshipName });

function sobject(
  name: string,
  keyPrefix: string,
  fields: FieldDescribe[],
  childRelationships: ChildRelationship[] = [],
): SObjectDescribe {
  return {
    name,
    label: name,
    labelPlural: `${name}s`,
    keyPrefix,
    custom: name.endsWith('__c'),
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    searchable: true,
    fields: [field('Id', 'id'), field('IsDeleted', 'boolean'), ...fields],
    childRelationships,
    urls: {},
  };
}

export const describes: SObjectDescribe[] = [
  sobject(
    'Account',
    '001',
    [
      field('Name', 'string', { nameField: true }),
      field('Industry', 'picklist'),
      field('NumberOfEmployees', 'int'),
      field('AnnualRevenue', 'currency'),
      field('Rating__c', 'double'),
      field('IsActive__c', 'boolean'),
      field('CreatedDate', 'datetime'),
      field('SLAExpirationDate__c', 'date'),
      field('Tags__c', 'multipicklist'),
      field('Description', 'textarea'),
      field('Phone', 'phone'),
      field('External_Id__c', 'string', { externalId: true, unique: true }),
      field('BillingAddress', 'address'),
      ref('OwnerId', 'User', 'Owner'),
      ref('ParentId', 'Account', 'Parent'),
    ],
    [
      { childSObject: 'Contact', field: 'AccountId', relationshipName: 'Contacts', cascadeDelete: false },
      {
        childSObject: 'Project__c',
        field: 'Account__c',
        relationshipName: 'Projects__r',
        cascadeDelete: true,
      },
      { childSObject: 'Account', field: 'ParentId', relationshipName: 'ChildAccounts', cascadeDelete: false },
    ],
  ),
  sobject('Contact', '003', [
    field('FirstName', 'string'),
    field('LastName', 'string', { nameField: false }),
    field('Name', 'string', { nameField: true }),
    field('Email', 'email'),
    field('Birthdate', 'date'),
    ref('AccountId', 'Account', 'Account'),
  ]),
  sobject('User', '005', [field('Name', 'string', { nameField: true }), field('Email', 'email')]),
  sobject('Project__c', 'a00', [
    field('Name', 'string', { nameField: true }),
    field('Budget__c', 'double'),
    ref('Account__c', 'Account', 'Account__r'),
    ref('Parent__c', 'Project__c', 'Parent__r'),
  ]),
];

export function id(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(12, '0')}AAA`;
}

/** A SoqlDataSource over plain arrays; rows missing IsDeleted get false. */
export class MemorySource implements SoqlDataSource {
  readonly tables = new Map<string, Row[]>();
  readonly byId = new Map<string, { objectName: string; row: Row }>();
  readonly objects: SObjectDescribe[];

  constructor(data: Record<string, Row[]>, objects: SObjectDescribe[] = describes) {
    this.objects = objects;
    for (const d of objects) this.tables.set(d.name.toLowerCase(), []);
    for (const [name, rows] of Object.entries(data)) for (const row of rows) this.insert(name, row);
  }

  insert(objectName: string, row: Row): void {
    const full: Row = { IsDeleted: false, ...row };
    this.tables.get(objectName.toLowerCase())!.push(full);
    this.byId.set(String(full.Id), { objectName, row: full });
  }

  describe(objectName: string): SObjectDescribe | undefined {
    return this.objects.find((d) => d.name.toLowerCase() === objectName.toLowerCase());
  }

  *rows(objectName: string, options: { includeDeleted: boolean }): Iterable<Row> {
    for (const row of this.tables.get(objectName.toLowerCase()) ?? []) {
      if (options.includeDeleted || row.IsDeleted !== true) yield row;
    }
  }

  findById(rowId: string) {
    return this.byId.get(rowId);
  }
}

export const A1 = id('001', 1);
export const A2 = id('001', 2);
export const A3 = id('001', 3);
export const A4 = id('001', 4);
export const U1 = id('005', 1);

export function sampleSource(): MemorySource {
  return new MemorySource({
    User: [{ Id: U1, Name: 'Ada Owner', Email: 'ada@example.com' }],
    Account: [
      {
        Id: A1,
        Name: 'Acme',
        Industry: 'Technology',
        NumberOfEmployees: 100,
        AnnualRevenue: 5000.5,
        IsActive__c: true,
        CreatedDate: '2026-03-18T10:00:00.000+0000',
        SLAExpirationDate__c: '2026-03-18',
        Tags__c: 'a;b;c',
        Description: 'Makes anvils, 100% guaranteed',
        Phone: '555-0100',
        External_Id__c: 'EXT-1',
        OwnerId: U1,
        ParentId: null,
      },
      {
        Id: A2,
        Name: 'Globex',
        Industry: 'Energy',
        NumberOfEmployees: 50,
        AnnualRevenue: null,
        IsActive__c: false,
        CreatedDate: '2026-03-10T23:30:00.000+0000',
        SLAExpirationDate__c: '2026-02-01',
        Tags__c: 'b',
        Description: 'under_score',
        OwnerId: U1,
        ParentId: A1,
      },
      {
        Id: A3,
        Name: 'initech',
        Industry: null,
        NumberOfEmployees: 7,
        IsActive__c: true,
        CreatedDate: '2025-12-31T23:59:59.000+0000',
        SLAExpirationDate__c: null,
        Tags__c: null,
        ParentId: A1,
      },
      { Id: A4, Name: 'Deleted Co', IsDeleted: true, NumberOfEmployees: 1, IsActive__c: false },
    ],
    Contact: [
      {
        Id: id('003', 1),
        FirstName: 'Sam',
        LastName: 'Smith',
        Email: 'sam@acme.test',
        AccountId: A1,
        Birthdate: '1990-05-01',
      },
      { Id: id('003', 2), FirstName: 'Ann', LastName: 'Adams', Email: null, AccountId: A1, Birthdate: null },
      { Id: id('003', 3), FirstName: null, LastName: 'Zed', Email: 'zed@globex.test', AccountId: A2 },
      { Id: id('003', 4), FirstName: 'Orphan', LastName: 'Nobody', AccountId: null },
      { Id: id('003', 5), FirstName: 'Gone', LastName: 'Deleted', AccountId: A1, IsDeleted: true },
    ],
    Project__c: [
      { Id: id('a00', 1), Name: 'Rocket', Budget__c: 10.5, Account__c: A1, Parent__c: null },
      { Id: id('a00', 2), Name: 'Rocket Part', Budget__c: 2, Account__c: A1, Parent__c: id('a00', 1) },
    ],
  });
}

export const NOW = new Date('2026-03-18T12:00:00.000Z'); // a Wednesday
export const OPTS: SoqlOptions = { includeDeleted: false, apiVersion: '62.0', now: NOW };
