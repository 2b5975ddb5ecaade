// Name resolution against describe results: objects, fields and relationship paths, all matched
// case-insensitively and reported in the describe's own casing.
import type { ChildRelationship, FieldDescribe, SObjectDescribe, SoqlDataSource } from '../describe-types.js';
import { failAt } from './errors.js';

export interface ObjectInfo {
  describe: SObjectDescribe;
  name: string;
  fields: Map<string, FieldDescribe>;
  /** Reference fields by lower-cased relationship name. */
  parents: Map<string, FieldDescribe>;
  children: Map<string, ChildRelationship>;
}

export type Row = Readonly<Record<string, unknown>>;

/** One step up a parent relationship: read the foreign key, then load the parent row. */
export interface Hop {
  fk: string;
  relationshipName: string;
  target: ObjectInfo;
}

export interface ResolvedPath {
  field: FieldDescribe;
  hops: Hop[];
  get(row: Row): unknown;
}

function synthetic(name: string, type: 'id' | 'boolean'): FieldDescribe {
  return {
    name,
    label: name,
    type,
    soapType: type === 'id' ? 'tns:ID' : 'xsd:boolean',
    length: type === 'id' ? 18 : 0,
    precision: 0,
    scale: 0,
    nillable: false,
    createable: false,
    updateable: false,
    filterable: true,
    sortable: true,
    groupable: true,
    unique: false,
    externalId: false,
    idLookup: type === 'id',
    calculated: false,
    custom: false,
    defaultedOnCreate: true,
    nameField: false,
    referenceTo: [],
    relationshipName: null,
    picklistValues: [],
  };
}

/** Describe lookups for one query, cached, with parent rows loaded through `findById`. */
export class Schema {
  readonly source: SoqlDataSource;
  readonly query: string;
  readonly #objects = new Map<string, ObjectInfo | null>();

  constructor(source: SoqlDataSource, query: string) {
    this.source = source;
    this.query = query;
  }

  find(name: string): ObjectInfo | undefined {
    const key = name.toLowerCase();
    let info = this.#objects.get(key);
    if (info === undefined) {
      const d = this.source.describe(name);
      info = d ? buildInfo(d) : null;
      this.#objects.set(key, info);
    }
    return info ?? undefined;
  }

  /** The object named in FROM, or INVALID_TYPE as Salesforce words it. */
  object(name: string): ObjectInfo {
    const info = this.find(name);
    if (!info) {
      failAt(
        'INVALID_TYPE',
        this.query,
        name,
        `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
        this.query.search(/\bFROM\b/i) + 1,
      );
    }
    return info;
  }

  /**
   * Resolves `Name`, `Account.Name`, `Account.Owner.Name` or `Parent__r.Name` from `obj`.
   * A leading segment naming the queried object itself (or its alias) is allowed and skipped.
   */
  path(obj: ObjectInfo, dotted: string, alias?: string): ResolvedPath {
    let segments = dotted.split('.');
    if (segments.length > 1) {
      const first = segments[0]!.toLowerCase();
      if (!obj.parents.has(first) && (first === obj.name.toLowerCase() || first === alias?.toLowerCase())) {
        segments = segments.slice(1);
      }
    }
    const hops: Hop[] = [];
    let current = obj;
    for (const segment of segments.slice(0, -1)) {
      const ref = current.parents.get(segment.toLowerCase());
      const target = ref && this.find(ref.referenceTo[0] ?? '');
      if (!ref || !target) {
        failAt(
          'INVALID_FIELD',
          this.query,
          dotted,
          `Didn't understand relationship '${segment}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        );
      }
      hops.push({ fk: ref.name, relationshipName: ref.relationshipName ?? segment, target });
      current = target;
    }
    const last = segments[segments.length - 1]!;
    const field = current.fields.get(last.toLowerCase());
    if (!field) {
      failAt(
        'INVALID_FIELD',
        this.query,
        dotted,
        `No such column '${last}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    const name = field.name;
    let get: (row: Row) => unknown;
    if (hops.length === 0) {
      get = (row) => row[name] ?? null;
    } else {
      const source = this.source;
      get = (row) => {
        let r: Row = row;
        for (const hop of hops) {
          const id = r[hop.fk];
          if (id === null || id === undefined || id === '') return null;
          const found = source.findById(String(id));
          if (!found) return null;
          r = found.row;
        }
        return r[name] ?? null;
      };
    }
    return { field, hops, get };
  }

  /** The describe name (exact casing) of an object name coming from `findById`. */
  canonicalName(name: string): string {
    return this.find(name)?.name ?? name;
  }
}

function buildInfo(d: SObjectDescribe): ObjectInfo {
  const fields = new Map<string, FieldDescribe>();
  const parents = new Map<string, FieldDescribe>();
  const children = new Map<string, ChildRelationship>();
  for (const f of d.fields) {
    fields.set(f.name.toLowerCase(), f);
    if (f.type === 'reference' && f.relationshipName) parents.set(f.relationshipName.toLowerCase(), f);
  }
  // Every row carries Id and IsDeleted even if a hand-written describe forgot them.
  if (!fields.has('id')) fields.set('id', synthetic('Id', 'id'));
  if (!fields.has('isdeleted')) fields.set('isdeleted', synthetic('IsDeleted', 'boolean'));
  for (const c of d.childRelationships) {
    if (c.relationshipName) children.set(c.relationshipName.toLowerCase(), c);
  }
  return { describe: d, name: d.name, fields, parents, children };
}
