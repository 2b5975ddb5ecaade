// The SOQL engine: parse once, resolve names against describe, compile WHERE, ORDER BY and the
// record shape into closures, then stream the source's rows through them.
import {
  type FieldType,
  type FunctionExp,
  type OrderByClause,
  parseQuery,
  type Query,
  type Subquery,
} from '@jetstreamapp/soql-parser-js';
import type { ChildRelationship, SoqlDataSource } from '../describe-types.js';
import { failAt, positioned, SoqlError } from './errors.js';
import { timeValue } from './literals.js';
import { type ObjectInfo, type ResolvedPath, type Row, Schema } from './schema.js';
import { compileWhere, type Kind, kindOf, normalizer, type Predicate } from './where.js';

/** How a query runs: `includeDeleted` is queryAll; `now` fixes TODAY and friends (UTC). */
export interface SoqlOptions {
  includeDeleted: boolean;
  /** '62.0' or 'v62.0'; used in each record's `attributes.url`. */
  apiVersion: string;
  now?: Date;
}

/** Every matching record, shaped as the REST API returns them, after ORDER BY, OFFSET and LIMIT. */
export interface SoqlResult {
  totalSize: number;
  records: Record<string, unknown>[];
}

/** A query compiled once, to run many times or to test single rows (PushTopic evaluation). */
export interface CompiledSoql {
  /** The queried object, in its describe casing. */
  objectName: string;
  /** True for `SELECT COUNT() ...`: `run()` answers with totalSize and no records. */
  isCount: boolean;
  /** True for aggregate queries (COUNT(field), SUM, GROUP BY...): records are AggregateResult. */
  isAggregate: boolean;
  run(): SoqlResult;
  /** The WHERE clause alone (true when there is none); deleted rows are not checked here. */
  matches(row: Readonly<Record<string, unknown>>): boolean;
  /** One row of the queried object, shaped as a result record (with its child subqueries). */
  shape(row: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /**
   * Plain queries only: the matching rows after ORDER BY, OFFSET and LIMIT, not shaped, so a
   * query cursor can hold references and shape one page at a time.
   */
  rows?(): Row[];
}

export const MAX_OFFSET = 2000;

type Shaped = Record<string, unknown>;

interface ShapeNode {
  entries: ShapeEntry[];
  keys: Set<string>;
  rels: Map<string, RelEntry>;
}
interface RelEntry {
  kind: 'rel';
  key: string;
  fk: string;
  node: ShapeNode;
}
type ShapeEntry =
  | { kind: 'field'; key: string }
  | RelEntry
  | { kind: 'child'; key: string; child: ChildPlan };

interface OrderKey {
  get(row: Row): unknown;
  norm(v: unknown): unknown;
  desc: boolean;
  nullsFirst: boolean;
}

interface ChildPlan {
  relationship: ChildRelationship;
  obj: ObjectInfo;
  where: Predicate | undefined;
  order: OrderKey[];
  limit: number | undefined;
  offset: number;
  node: ShapeNode;
  index: Map<string, Row[]> | undefined;
}

interface Aggregate {
  key: string;
  fn: string;
  raw: string;
  path: ResolvedPath | undefined;
  kind: Kind;
}

interface GroupField {
  key: string;
  path: ResolvedPath;
  norm(v: unknown): unknown;
}

const newNode = (): ShapeNode => ({ entries: [], keys: new Set(), rels: new Map() });

/** Parses SOQL, turning the parser's errors into Salesforce's MALFORMED_QUERY. */
export function parseSoql(soql: string): Query {
  if (soql.trim() === '') throw new SoqlError('MALFORMED_QUERY', 'unexpected token: <EOF>');
  let query: Query;
  try {
    query = parseQuery(protectSeparators(soql));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const lexed = /unexpected character: ->([\s\S])<- at offset: (\d+)/.exec(message);
    if (lexed) {
      throw new SoqlError(
        'MALFORMED_QUERY',
        positioned(soql, Number(lexed[2]), `unexpected token: '${lexed[1]}'`),
      );
    }
    const found = /but found: '([^']*)'/.exec(message);
    const token = found?.[1] ?? '';
    if (token === '')
      throw new SoqlError('MALFORMED_QUERY', positioned(soql, soql.length, "unexpected token: '<EOF>'"));
    failAt('MALFORMED_QUERY', soql, token, `unexpected token: '${token}'`);
  }
  if (!query.sObject)
    throw new SoqlError('MALFORMED_QUERY', positioned(soql, soql.length, "unexpected token: '<EOF>'"));
  return query;
}

/**
 * The parser's string token refuses raw U+2028 and U+2029 (JavaScript line terminators), which
 * SOQL allows in string literals: inside quotes they become \u escapes, outside plain spaces.
 */
function protectSeparators(soql: string): string {
  if (!/[\u2028\u2029]/.test(soql)) return soql;
  let out = '';
  let quote = false;
  for (let i = 0; i < soql.length; i++) {
    const c = soql[i]!;
    if (c === '\u2028' || c === '\u2029') {
      out += quote ? `\\u${c.charCodeAt(0).toString(16)}` : ' ';
    } else if (quote && c === '\\') {
      out += c + (soql[++i] ?? '');
    } else {
      if (c === "'") quote = !quote;
      out += c;
    }
  }
  return out;
}

function compare(a: unknown, b: unknown): number {
  return a === b ? 0 : (a as number) < (b as number) ? -1 : 1;
}

function sortRows(rows: Row[], order: OrderKey[]): Row[] {
  if (order.length === 0) return rows;
  const decorated = rows.map((row) => ({ row, keys: order.map((o) => o.norm(o.get(row))) }));
  decorated.sort((x, y) => {
    for (let i = 0; i < order.length; i++) {
      const o = order[i]!;
      const a = x.keys[i];
      const b = y.keys[i];
      if (a === b) continue;
      if (a === null) return o.nullsFirst ? -1 : 1;
      if (b === null) return o.nullsFirst ? 1 : -1;
      const c = compare(a, b);
      return o.desc ? -c : c;
    }
    return 0;
  });
  return decorated.map((d) => d.row);
}

function sortKeyNormalizer(kind: Kind): (v: unknown) => unknown {
  const norm = normalizer(kind);
  if (kind === 'boolean') return (v) => (v === null || v === undefined ? null : norm(v) ? 1 : 0);
  return norm;
}

/** Compiles a query once; see {@link CompiledSoql}. Throws {@link SoqlError}. */
export function compileSoql(source: SoqlDataSource, soql: string, options: SoqlOptions): CompiledSoql {
  return new Compiler(source, soql, options).top(parseSoql(soql));
}

/** compileSoql with one more filter ANDed to WHERE (SOSL's search term), applied before LIMIT. */
export function compileSoqlFiltered(
  source: SoqlDataSource,
  soql: string,
  options: SoqlOptions,
  filter: (row: Row, obj: ObjectInfo) => boolean,
): CompiledSoql & { obj: ObjectInfo } {
  const compiler = new Compiler(source, soql, options);
  compiler.extraFilter = filter;
  const compiled = compiler.top(parseSoql(soql));
  return { ...compiled, obj: compiler.schema.object(compiled.objectName) };
}

/**
 * Runs one SOQL query against `source`, as GET /query (or /queryAll with includeDeleted) does.
 *
 * @example
 * executeSoql(store, "SELECT Name, Account.Name FROM Contact WHERE LastName LIKE 'S%'",
 *   { includeDeleted: false, apiVersion: '62.0' })
 */
export function executeSoql(source: SoqlDataSource, soql: string, options: SoqlOptions): SoqlResult {
  return compileSoql(source, soql, options).run();
}

class Compiler {
  readonly schema: Schema;
  readonly source: SoqlDataSource;
  readonly options: SoqlOptions;
  readonly now: Date;
  readonly urlBase: string;
  readonly query: string;
  extraFilter: ((row: Row, obj: ObjectInfo) => boolean) | undefined;

  constructor(source: SoqlDataSource, soql: string, options: SoqlOptions) {
    this.source = source;
    this.schema = new Schema(source, soql);
    this.options = options;
    this.now = options.now ?? new Date();
    this.urlBase = `/services/data/v${options.apiVersion.replace(/^v/i, '')}/sobjects/`;
    this.query = soql;
  }

  rows(obj: ObjectInfo): Iterable<Row> {
    return this.source.rows(obj.name, { includeDeleted: this.options.includeDeleted });
  }

  where(q: Query | Subquery, obj: ObjectInfo): Predicate | undefined {
    if (!q.where) return undefined;
    return compileWhere(q.where, {
      schema: this.schema,
      obj,
      alias: q.sObjectAlias,
      now: this.now,
      semiJoin: (inner) => this.semiJoinValues(inner),
    });
  }

  semiJoinValues(inner: Query): unknown[] {
    const obj = this.schema.object(inner.sObject ?? '');
    const fields = inner.fields ?? [];
    const only = fields[0];
    if (fields.length !== 1 || !only || (only.type !== 'Field' && only.type !== 'FieldRelationship')) {
      failAt(
        'MALFORMED_QUERY',
        this.query,
        'SELECT',
        'semi join sub-selects can only select one id or reference field',
        1,
      );
    }
    const path = this.schema.path(
      obj,
      only.type === 'Field' ? only.field : only.rawValue!,
      inner.sObjectAlias,
    );
    if (kindOf(path.field) !== 'id') {
      failAt(
        'INVALID_FIELD',
        this.query,
        path.field.name,
        'semi join sub-selects can only select id or reference fields',
      );
    }
    const where = this.where(inner, obj);
    const out: unknown[] = [];
    for (const row of this.rows(obj)) {
      if (!this.options.includeDeleted && row.IsDeleted === true) continue;
      if (where && !where(row)) continue;
      out.push(path.get(row));
    }
    return out;
  }

  order(q: Query | Subquery, obj: ObjectInfo): OrderKey[] {
    if (!q.orderBy) return [];
    const clauses: OrderByClause[] = Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy];
    return clauses.map((c) => {
      if (!('field' in c))
        failAt(
          'MALFORMED_QUERY',
          this.query,
          'ORDER',
          'ORDER BY a function is only supported in aggregate queries',
          1,
        );
      const path = this.schema.path(obj, c.field, q.sObjectAlias);
      const kind = kindOf(path.field);
      if (kind === 'none' || kind === 'multi') {
        failAt(
          'INVALID_FIELD',
          this.query,
          c.field,
          `field '${path.field.name}' can not be sorted in a query call`,
        );
      }
      const desc = c.order?.toUpperCase() === 'DESC';
      const nullsFirst = c.nulls ? c.nulls.toUpperCase() === 'FIRST' : !desc;
      return { get: path.get, norm: sortKeyNormalizer(kind), desc, nullsFirst };
    });
  }

  bounds(q: Query | Subquery): { limit: number | undefined; offset: number } {
    const offset = q.offset ?? 0;
    if (offset > MAX_OFFSET) {
      failAt(
        'NUMBER_OUTSIDE_VALID_RANGE',
        this.query,
        String(offset),
        `Maximum SOQL offset allowed is ${MAX_OFFSET}`,
        this.query.search(/\bOFFSET\b/i),
      );
    }
    return { limit: q.limit, offset };
  }

  /** Adds a selected field or parent path to the shape tree. */
  addPath(node: ShapeNode, path: ResolvedPath): void {
    let current = node;
    for (const hop of path.hops) {
      const key = hop.relationshipName;
      let rel = current.rels.get(key.toLowerCase());
      if (!rel) {
        rel = { kind: 'rel', key, fk: hop.fk, node: newNode() };
        current.rels.set(key.toLowerCase(), rel);
        current.entries.push(rel);
      }
      current = rel.node;
    }
    const key = path.field.name;
    if (current.keys.has(key))
      failAt('MALFORMED_QUERY', this.query, key, `duplicate field selected: ${key}`, 1);
    current.keys.add(key);
    current.entries.push({ kind: 'field', key });
  }

  /** Expands FIELDS(ALL|STANDARD|CUSTOM) to the describe's fields. */
  fieldsFunction(fn: FunctionExp, q: Query | Subquery, obj: ObjectInfo, node: ShapeNode): void {
    const which = String(fn.parameters?.[0] ?? '').toUpperCase();
    if (which !== 'ALL' && which !== 'STANDARD' && which !== 'CUSTOM') {
      failAt('MALFORMED_QUERY', this.query, 'FIELDS', `unexpected token: '${which}'`);
    }
    if (which !== 'STANDARD' && (q.limit === undefined || q.limit > 200)) {
      failAt(
        'MALFORMED_QUERY',
        this.query,
        'FIELDS',
        'The SOQL FIELDS function must have a LIMIT of at most 200',
      );
    }
    for (const f of obj.describe.fields) {
      if (which === 'ALL' || (which === 'CUSTOM') === f.custom) {
        if (!node.keys.has(f.name)) {
          node.keys.add(f.name);
          node.entries.push({ kind: 'field', key: f.name });
        }
      }
    }
  }

  selectPath(f: FieldType): string | undefined {
    if (f.type === 'Field') return f.field;
    if (f.type === 'FieldRelationship') return [...f.relationships, f.field].join('.');
    return undefined;
  }

  /** Builds the shape tree of a plain (non-aggregate) select list. */
  select(q: Query | Subquery, obj: ObjectInfo, allowChildren: boolean): ShapeNode {
    const node = newNode();
    for (const f of q.fields ?? []) {
      const dotted = this.selectPath(f);
      if (dotted !== undefined) {
        this.addPath(node, this.schema.path(obj, dotted, q.sObjectAlias));
      } else if (f.type === 'FieldSubquery') {
        if (!allowChildren)
          failAt(
            'MALFORMED_QUERY',
            this.query,
            'SELECT',
            "unexpected token: '('",
            this.query.indexOf('(') + 1,
          );
        const child = this.child(f.subquery, obj);
        if (node.keys.has(child.relationship.relationshipName!)) {
          failAt(
            'MALFORMED_QUERY',
            this.query,
            f.subquery.relationshipName,
            `duplicate field selected: ${child.relationship.relationshipName}`,
          );
        }
        node.keys.add(child.relationship.relationshipName!);
        node.entries.push({ kind: 'child', key: child.relationship.relationshipName!, child });
      } else if (f.type === 'FieldFunctionExpression') {
        const name = f.functionName.toUpperCase();
        if (name === 'FIELDS') {
          this.fieldsFunction(f, q, obj, node);
        } else if (
          (name === 'TOLABEL' || name === 'FORMAT' || name === 'CONVERTCURRENCY') &&
          typeof f.parameters[0] === 'string'
        ) {
          // The emulator has no labels, locales or currencies: the stored value is the answer.
          const path = this.schema.path(obj, f.parameters[0], q.sObjectAlias);
          if (f.alias) {
            node.entries.push({ kind: 'field', key: f.alias });
            node.keys.add(f.alias);
          } else {
            this.addPath(node, path);
          }
        } else {
          failAt('MALFORMED_QUERY', this.query, f.functionName, `unexpected token: '${f.functionName}'`);
        }
      } else {
        failAt(
          'MALFORMED_QUERY',
          this.query,
          'TYPEOF',
          "unexpected token: 'TYPEOF' (not supported by the emulator)",
        );
      }
    }
    if (node.entries.length === 0) failAt('MALFORMED_QUERY', this.query, 'FROM', "unexpected token: 'FROM'");
    return node;
  }

  child(sub: Subquery, parent: ObjectInfo): ChildPlan {
    const relationship = parent.children.get(sub.relationshipName.toLowerCase());
    const obj = relationship && this.schema.find(relationship.childSObject);
    if (!relationship || !obj) {
      failAt(
        'INVALID_TYPE',
        this.query,
        sub.relationshipName,
        `Didn't understand relationship '${sub.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        this.query.indexOf('(') + 1,
      );
    }
    for (const f of sub.fields ?? []) {
      if (f.type === 'FieldFunctionExpression' && f.isAggregateFn) {
        failAt(
          'MALFORMED_QUERY',
          this.query,
          f.functionName,
          'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch',
        );
      }
    }
    const node = this.select(sub, obj, false);
    const { limit, offset } = this.bounds(sub);
    return {
      relationship,
      obj,
      where: this.where(sub, obj),
      order: this.order(sub, obj),
      limit,
      offset,
      node,
      index: undefined,
    };
  }

  childResult(plan: ChildPlan, parentId: unknown): unknown {
    if (parentId === null || parentId === undefined) return null;
    if (!plan.index) {
      const index = new Map<string, Row[]>();
      const fk = plan.obj.fields.get(plan.relationship.field.toLowerCase())?.name ?? plan.relationship.field;
      for (const row of this.rows(plan.obj)) {
        if (!this.options.includeDeleted && row.IsDeleted === true) continue;
        const key = row[fk];
        if (key === null || key === undefined || key === '') continue;
        if (plan.where && !plan.where(row)) continue;
        const list = index.get(String(key));
        if (list) list.push(row);
        else index.set(String(key), [row]);
      }
      plan.index = index;
    }
    let rows = plan.index.get(String(parentId));
    if (!rows || rows.length === 0) return null;
    rows = sortRows(rows, plan.order);
    if (plan.offset > 0 || plan.limit !== undefined) {
      rows = rows.slice(plan.offset, plan.limit === undefined ? undefined : plan.offset + plan.limit);
    }
    if (rows.length === 0) return null;
    const type = plan.obj.name;
    return {
      totalSize: rows.length,
      done: true,
      records: rows.map((r) => this.shapeRow(r, type, plan.node)),
    };
  }

  shapeRow(row: Row, type: string, node: ShapeNode): Shaped {
    const out: Shaped = { attributes: { type, url: `${this.urlBase}${type}/${row.Id as string}` } };
    for (const e of node.entries) {
      if (e.kind === 'field') {
        out[e.key] = row[e.key] ?? null;
      } else if (e.kind === 'rel') {
        const id = row[e.fk];
        const found =
          id === null || id === undefined || id === '' ? undefined : this.source.findById(String(id));
        out[e.key] = found
          ? this.shapeRow(found.row, this.schema.canonicalName(found.objectName), e.node)
          : null;
      } else {
        out[e.key] = this.childResult(e.child, row.Id);
      }
    }
    return out;
  }

  resetChildren(node: ShapeNode): void {
    for (const e of node.entries) if (e.kind === 'child') e.child.index = undefined;
  }

  top(q: Query): CompiledSoql {
    const obj = this.schema.object(q.sObject!);
    const fields = q.fields ?? [];
    const plainWhere = this.where(q, obj);
    const extra = this.extraFilter;
    const where: Predicate | undefined = extra
      ? (row) => extra(row, obj) && (plainWhere ? plainWhere(row) : true)
      : plainWhere;
    const { limit, offset } = this.bounds(q);
    const matches = (row: Row): boolean => (plainWhere ? plainWhere(row) : true);
    const isCount =
      fields.length > 0 &&
      fields.some(
        (f) =>
          f.type === 'FieldFunctionExpression' &&
          f.functionName.toUpperCase() === 'COUNT' &&
          f.parameters.length === 0,
      );
    const isAggregate =
      !isCount &&
      (q.groupBy !== undefined ||
        fields.some((f) => f.type === 'FieldFunctionExpression' && f.isAggregateFn));
    const collect = (stopAt: number): Row[] => {
      const out: Row[] = [];
      if (stopAt <= 0) return out;
      for (const row of this.rows(obj)) {
        if (!this.options.includeDeleted && row.IsDeleted === true) continue;
        if (where && !where(row)) continue;
        out.push(row);
        if (out.length >= stopAt) break;
      }
      return out;
    };
    const window = <T>(items: T[]): T[] =>
      offset > 0 || limit !== undefined
        ? items.slice(offset, limit === undefined ? undefined : offset + limit)
        : items;

    if (isCount) {
      if (fields.length !== 1 || q.groupBy) {
        failAt(
          'MALFORMED_QUERY',
          this.query,
          'COUNT',
          'COUNT() cannot be used with other fields or GROUP BY',
        );
      }
      return {
        objectName: obj.name,
        isCount,
        isAggregate: false,
        matches,
        shape: () => ({ attributes: { type: 'AggregateResult' } }),
        run: () => {
          const stopAt = limit === undefined ? Number.POSITIVE_INFINITY : offset + limit;
          let n = 0;
          for (const row of this.rows(obj)) {
            if (!this.options.includeDeleted && row.IsDeleted === true) continue;
            if (where && !where(row)) continue;
            if (++n >= stopAt) break;
          }
          return { totalSize: Math.max(0, n - offset), records: [] };
        },
      };
    }

    if (isAggregate) {
      const aggregate = this.aggregate(q, obj);
      return {
        objectName: obj.name,
        isCount,
        isAggregate,
        matches,
        shape: () =>
          failAt('MALFORMED_QUERY', this.query, 'SELECT', 'aggregate queries have no per-row shape', 1),
        run: () => {
          const records = window(aggregate(collect(Number.POSITIVE_INFINITY)));
          return { totalSize: records.length, records };
        },
      };
    }

    const node = this.select(q, obj, true);
    const order = this.order(q, obj);
    const shape = (row: Row): Shaped => this.shapeRow(row, obj.name, node);
    return {
      objectName: obj.name,
      isCount,
      isAggregate,
      matches,
      shape,
      rows: () => {
        this.resetChildren(node);
        const stopAt = order.length === 0 && limit !== undefined ? offset + limit : Number.POSITIVE_INFINITY;
        return window(sortRows(collect(stopAt), order));
      },
      run: () => {
        this.resetChildren(node);
        const stopAt = order.length === 0 && limit !== undefined ? offset + limit : Number.POSITIVE_INFINITY;
        const rows = window(sortRows(collect(stopAt), order));
        const records = new Array<Shaped>(rows.length);
        for (let i = 0; i < rows.length; i++) records[i] = shape(rows[i]!);
        return { totalSize: records.length, records };
      },
    };
  }

  /** Compiles an aggregate select list (COUNT(f), COUNT_DISTINCT, SUM, AVG, MIN, MAX, GROUP BY). */
  aggregate(q: Query, obj: ObjectInfo): (rows: Row[]) => Shaped[] {
    if (q.having)
      failAt(
        'MALFORMED_QUERY',
        this.query,
        'HAVING',
        "unexpected token: 'HAVING' (not supported by the emulator)",
      );
    const groupClauses = q.groupBy === undefined ? [] : Array.isArray(q.groupBy) ? q.groupBy : [q.groupBy];
    const groups: GroupField[] = groupClauses.map((g) => {
      if (!('field' in g))
        failAt(
          'MALFORMED_QUERY',
          this.query,
          'GROUP',
          'GROUP BY ROLLUP, CUBE and functions are not supported by the emulator',
          1,
        );
      const path = this.schema.path(obj, g.field, q.sObjectAlias);
      return { key: path.field.name, path, norm: normalizer(kindOf(path.field)) };
    });
    const outputs: Array<{ group: GroupField; key: string } | Aggregate> = [];
    let expr = 0;
    for (const f of q.fields ?? []) {
      const dotted = this.selectPath(f);
      if (dotted !== undefined) {
        const path = this.schema.path(obj, dotted, q.sObjectAlias);
        const group = groups.find(
          (g) => g.path.field === path.field && g.path.hops.length === path.hops.length,
        );
        if (!group)
          failAt(
            'MALFORMED_QUERY',
            this.query,
            dotted,
            `Field must be grouped or aggregated: ${path.field.name}`,
          );
        outputs.push({ group, key: 'alias' in f && f.alias ? f.alias : path.field.name });
      } else if (f.type === 'FieldFunctionExpression' && f.isAggregateFn) {
        const fn = f.functionName.toUpperCase();
        const param = f.parameters[0];
        if (typeof param !== 'string')
          failAt('MALFORMED_QUERY', this.query, f.functionName, `unexpected token: '${f.functionName}'`);
        const path = this.schema.path(obj, param, q.sObjectAlias);
        const kind = kindOf(path.field);
        if ((fn === 'SUM' || fn === 'AVG') && kind !== 'number') {
          failAt(
            'MALFORMED_QUERY',
            this.query,
            param,
            `field ${path.field.name} does not support aggregate operator ${fn}`,
          );
        }
        const key = f.alias ?? `expr${expr++}`;
        outputs.push({ key, fn, raw: (f.rawValue ?? '').replace(/\s+/g, '').toLowerCase(), path, kind });
      } else {
        failAt(
          'MALFORMED_QUERY',
          this.query,
          'SELECT',
          'only grouped fields and aggregate functions can be selected in an aggregate query',
          1,
        );
      }
    }
    const sorts = (q.orderBy === undefined ? [] : Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy]).map(
      (c) => {
        let key: string | undefined;
        if ('field' in c) {
          const name = c.field.toLowerCase();
          key = outputs.find((o) => o.key.toLowerCase() === name)?.key;
          if (!key) {
            const path = this.schema.path(obj, c.field, q.sObjectAlias);
            key = outputs.find((o) => 'group' in o && o.group.path.field === path.field)?.key;
          }
        } else {
          const raw = (c.fn.rawValue ?? '').replace(/\s+/g, '').toLowerCase();
          key = outputs.find((o) => 'raw' in o && o.raw === raw)?.key;
        }
        if (!key)
          failAt(
            'MALFORMED_QUERY',
            this.query,
            'ORDER',
            'ORDER BY must use a grouped field or a selected aggregate',
            1,
          );
        const desc = c.order?.toUpperCase() === 'DESC';
        return { key, desc, nullsFirst: c.nulls ? c.nulls.toUpperCase() === 'FIRST' : !desc };
      },
    );

    return (rows) => {
      const buckets = new Map<string, Row[]>();
      if (groups.length === 0) buckets.set('', rows);
      else {
        for (const row of rows) {
          const k = JSON.stringify(groups.map((g) => g.norm(g.path.get(row))));
          const list = buckets.get(k);
          if (list) list.push(row);
          else buckets.set(k, [row]);
        }
      }
      const records: Shaped[] = [];
      for (const members of buckets.values()) {
        const out: Shaped = { attributes: { type: 'AggregateResult' } };
        for (const o of outputs) {
          if ('group' in o) out[o.key] = members.length > 0 ? o.group.path.get(members[0]!) : null;
          else out[o.key] = computeAggregate(o, members);
        }
        records.push(out);
      }
      if (sorts.length > 0) {
        records.sort((x, y) => {
          for (const s of sorts) {
            const a = sortValue(x[s.key]);
            const b = sortValue(y[s.key]);
            if (a === b) continue;
            if (a === null) return s.nullsFirst ? -1 : 1;
            if (b === null) return s.nullsFirst ? 1 : -1;
            const c = compare(a, b);
            return s.desc ? -c : c;
          }
          return 0;
        });
      }
      return records;
    };
  }
}

function sortValue(v: unknown): unknown {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'string') {
    const t = /^\d{4}-\d{2}-\d{2}/.test(v) ? timeValue(v) : Number.NaN;
    return Number.isNaN(t) ? v.toLowerCase() : t;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

function computeAggregate(a: Aggregate, rows: Row[]): unknown {
  const get = a.path!.get;
  const norm = sortKeyNormalizer(a.kind);
  if (a.fn === 'COUNT' || a.fn === 'COUNT_DISTINCT') {
    const seen = new Set<unknown>();
    let n = 0;
    for (const row of rows) {
      const v = norm(get(row));
      if (v === null || v === undefined) continue;
      n++;
      seen.add(v);
    }
    return a.fn === 'COUNT' ? n : seen.size;
  }
  let best: { raw: unknown; key: unknown } | undefined;
  let sum = 0;
  let n = 0;
  for (const row of rows) {
    const raw = get(row);
    const key = norm(raw);
    if (key === null || key === undefined) continue;
    n++;
    if (a.fn === 'SUM' || a.fn === 'AVG') sum += key as number;
    else if (!best || (a.fn === 'MIN' ? compare(key, best.key) < 0 : compare(key, best.key) > 0))
      best = { raw, key };
  }
  if (a.fn === 'SUM') return n === 0 ? null : sum;
  if (a.fn === 'AVG') return n === 0 ? null : sum / n;
  if (a.fn === 'MIN' || a.fn === 'MAX') return best ? best.raw : null;
  throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${a.fn}'`);
}
