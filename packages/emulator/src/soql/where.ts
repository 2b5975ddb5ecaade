// WHERE clauses compiled once into closures: the parser's flat condition list (with paren
// counts) is rebuilt into a tree, each condition turned into a predicate over a row.
import type {
  ConditionWithValueQuery,
  LiteralType,
  Query,
  ValueQueryCondition,
  WhereClause,
} from '@jetstreamapp/soql-parser-js';
import type { FieldDescribe } from '../describe-types.js';
import { failAt, indexOfToken, positioned, SoqlError } from './errors.js';
import { dateLiteralRange, decodeString, likeRegExp, type TimeRange, timeValue } from './literals.js';
import type { ObjectInfo, Row, Schema } from './schema.js';

export type Predicate = (row: Row) => boolean;

export interface WhereContext {
  schema: Schema;
  obj: ObjectInfo;
  alias: string | undefined;
  now: Date;
  /** Runs a semi-join subquery and returns the values of its one selected field. */
  semiJoin(query: Query): Iterable<unknown>;
}

/** How values of a field type compare. */
export type Kind = 'string' | 'multi' | 'id' | 'number' | 'boolean' | 'date' | 'datetime' | 'none';

export function kindOf(field: FieldDescribe): Kind {
  switch (field.type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'multipicklist':
      return 'multi';
    case 'base64':
    case 'address':
    case 'location':
      return 'none';
    default:
      return 'string';
  }
}

/** Salesforce ids compare on their case-sensitive 15-character form. */
export function idKey(value: string): string {
  return value.length === 18 ? value.slice(0, 15) : value;
}

function multiKey(value: string): string {
  return value
    .split(';')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '')
    .sort()
    .join(';');
}

/** A row value in the form the comparisons of its kind use; null for empty. */
export function normalizer(kind: Kind): (v: unknown) => unknown {
  switch (kind) {
    case 'string':
      return (v) => (v === null || v === undefined || v === '' ? null : String(v).toLowerCase());
    case 'multi':
      return (v) => (v === null || v === undefined || v === '' ? null : multiKey(String(v)));
    case 'id':
      return (v) => (v === null || v === undefined || v === '' ? null : idKey(String(v)));
    case 'number':
      return (v) => {
        if (v === null || v === undefined || v === '') return null;
        const n = typeof v === 'number' ? v : Number(v);
        return Number.isNaN(n) ? null : n;
      };
    case 'boolean':
      return (v) => v === true || v === 'true';
    case 'date':
    case 'datetime':
      return (v) => {
        if (v === null || v === undefined || v === '') return null;
        const t = timeValue(v);
        return Number.isNaN(t) ? null : t;
      };
    case 'none':
      return (v) => v ?? null;
  }
}

const TYPE_WORDS: Record<string, string> = {
  int: 'integer',
  double: 'double',
  currency: 'currency',
  percent: 'percent',
  boolean: 'boolean',
  date: 'date',
  datetime: 'dateTime',
};

type Literal = { null: true } | { value: unknown } | { range: TimeRange };

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | ConditionWithValueQuery;
type Node =
  | { op: 'AND' | 'OR'; items: Node[] }
  | { op: 'NOT'; item: Node }
  | { op: 'COND'; cond: ConditionWithValueQuery };

function flatten(where: WhereClause | undefined, out: Token[]): void {
  let node: WhereClause | undefined = where;
  while (node) {
    const left = node.left as (ConditionWithValueQuery & { openParen?: number; closeParen?: number }) | null;
    if (left) {
      for (let i = 0; i < (left.openParen ?? 0); i++) out.push('(');
      if ('field' in left || 'fn' in left) out.push(left);
      for (let i = 0; i < (left.closeParen ?? 0); i++) out.push(')');
    }
    const op = 'operator' in node ? node.operator : undefined;
    if (op) out.push(op.toUpperCase() as 'AND' | 'OR' | 'NOT');
    node = 'right' in node ? node.right : undefined;
  }
}

function treeOf(tokens: Token[], query: string): Node {
  let i = 0;
  const unexpected = (t: Token | undefined): never => {
    const text = t === undefined ? '<EOF>' : typeof t === 'string' ? t : 'field' in t ? t.field : 'condition';
    throw new SoqlError(
      'MALFORMED_QUERY',
      positioned(
        query,
        t === undefined ? query.length : indexOfToken(query, text, query.search(/\bWHERE\b/i)),
        `unexpected token: '${text}'`,
      ),
    );
  };
  const unary = (): Node => {
    const t = tokens[i++];
    if (t === 'NOT') return { op: 'NOT', item: unary() };
    if (t === '(') {
      const inner = expr();
      if (tokens[i++] !== ')') unexpected(tokens[i - 1]);
      return inner;
    }
    if (t === undefined || typeof t === 'string') return unexpected(t);
    return { op: 'COND', cond: t };
  };
  const expr = (): Node => {
    const first = unary();
    let op: 'AND' | 'OR' | undefined;
    const items = [first];
    while (tokens[i] === 'AND' || tokens[i] === 'OR') {
      const next = tokens[i] as 'AND' | 'OR';
      // Salesforce refuses `a AND b OR c`: mixing needs parentheses.
      if (op && next !== op) unexpected(next);
      op = next;
      i++;
      items.push(unary());
    }
    return op ? { op, items } : first;
  };
  const root = expr();
  if (i < tokens.length) unexpected(tokens[i]);
  return root;
}

/** Compiles a WHERE clause into one predicate; throws SoqlError for what Salesforce rejects. */
export function compileWhere(where: WhereClause, ctx: WhereContext): Predicate {
  const tokens: Token[] = [];
  flatten(where, tokens);
  return build(treeOf(tokens, ctx.schema.query), ctx);
}

function build(node: Node, ctx: WhereContext): Predicate {
  if (node.op === 'COND') return condition(node.cond, ctx);
  if (node.op === 'NOT') {
    const inner = build(node.item, ctx);
    return (row) => !inner(row);
  }
  const parts = node.items.map((n) => build(n, ctx));
  if (parts.length === 2) {
    const [a, b] = parts as [Predicate, Predicate];
    return node.op === 'AND' ? (row) => a(row) && b(row) : (row) => a(row) || b(row);
  }
  return node.op === 'AND' ? (row) => parts.every((p) => p(row)) : (row) => parts.some((p) => p(row));
}

function condition(cond: ConditionWithValueQuery, ctx: WhereContext): Predicate {
  const query = ctx.schema.query;
  if (!('field' in cond)) {
    const fn = 'fn' in cond ? (cond.fn.functionName ?? 'function') : 'condition';
    failAt(
      'MALFORMED_QUERY',
      query,
      fn,
      `unexpected token: '${fn}' (functions in WHERE are not supported by the emulator)`,
    );
  }
  const path = ctx.schema.path(ctx.obj, cond.field, ctx.alias);
  const field = path.field;
  const get = path.get;
  const kind = kindOf(field);
  const op = cond.operator.toUpperCase().replace(/\s+/g, ' ');
  if (kind === 'none') {
    failAt('INVALID_FIELD', query, cond.field, `field '${field.name}' can not be filtered in a query call`);
  }
  if ('valueQuery' in cond && cond.valueQuery) return semiJoin(cond as ValueQueryCondition, kind, get, ctx);

  const value = (cond as { value?: string | string[] }).value ?? [];
  const raws: string[] = Array.isArray(value) ? value : [value];
  const types = raws.map((_, i): LiteralType | undefined =>
    Array.isArray(cond.literalType) ? cond.literalType[i] : cond.literalType,
  );
  const vars = 'dateLiteralVariable' in cond ? cond.dateLiteralVariable : undefined;
  const norm = normalizer(kind);

  if (op === 'LIKE') {
    if (kind !== 'string' || types[0] !== 'STRING') {
      if (kind === 'id')
        failAt('INVALID_QUERY_FILTER_OPERATOR', query, cond.field, 'invalid operator on id field');
      typeError(field, kind, raws[0]!, query);
    }
    const re = likeRegExp(raws[0]!);
    if (!re.ok) badString(raws[0]!, re.bad, query);
    const regex = re.value;
    return (row) => {
      const v = get(row);
      return v !== null && v !== '' && regex.test(String(v));
    };
  }

  if (op === 'INCLUDES' || op === 'EXCLUDES') {
    if (kind !== 'multi') {
      failAt(
        'INVALID_QUERY_FILTER_OPERATOR',
        query,
        cond.field,
        'includes or excludes operator only valid on multipicklist field',
      );
    }
    const groups = raws.map((raw, i) => {
      if (types[i] !== 'STRING') typeError(field, 'string', raw, query);
      const s = decodeString(raw);
      if (!s.ok) badString(raw, s.bad, query);
      return multiKey(s.value).split(';');
    });
    const includes = (row: Row): boolean => {
      const v = get(row);
      if (v === null || v === undefined || v === '') return false;
      const have = new Set(multiKey(String(v)).split(';'));
      return groups.some((g) => g.every((x) => have.has(x)));
    };
    return op === 'INCLUDES' ? includes : (row) => !includes(row);
  }

  const literals = raws.map((raw, i) =>
    literal(raw, types[i], Array.isArray(vars) ? vars[i] : vars, field, kind, ctx),
  );

  if (op === 'IN' || op === 'NOT IN') {
    const values = new Set<unknown>();
    const ranges: TimeRange[] = [];
    let hasNull = false;
    for (const l of literals) {
      if ('null' in l) hasNull = true;
      else if ('range' in l) ranges.push(l.range);
      else values.add(l.value);
    }
    const inList = (row: Row): boolean => {
      const v = norm(get(row));
      if (v === null) return hasNull;
      if (values.has(v)) return true;
      for (const r of ranges) if ((v as number) >= r.start && (v as number) < r.end) return true;
      return false;
    };
    return op === 'IN' ? inList : (row) => !inList(row);
  }

  if (literals.length !== 1) failAt('MALFORMED_QUERY', query, cond.field, `unexpected token: '('`);
  const lit = literals[0]!;
  if ('null' in lit) {
    if (op === '=') return (row) => norm(get(row)) === null;
    if (op === '!=' || op === '<>') return (row) => norm(get(row)) !== null;
    return () => false;
  }
  if ('range' in lit) {
    const { start, end } = lit.range;
    const within = (v: unknown) => v !== null && (v as number) >= start && (v as number) < end;
    switch (op) {
      case '=':
        return (row) => within(norm(get(row)));
      case '!=':
      case '<>':
        return (row) => !within(norm(get(row)));
      case '<':
        return (row) => {
          const v = norm(get(row));
          return v !== null && (v as number) < start;
        };
      case '<=':
        return (row) => {
          const v = norm(get(row));
          return v !== null && (v as number) < end;
        };
      case '>':
        return (row) => {
          const v = norm(get(row));
          return v !== null && (v as number) >= end;
        };
      case '>=':
        return (row) => {
          const v = norm(get(row));
          return v !== null && (v as number) >= start;
        };
    }
  }
  const x = (lit as { value: unknown }).value as string | number | boolean;
  switch (op) {
    case '=':
      return (row) => norm(get(row)) === x;
    case '!=':
    case '<>':
      return (row) => norm(get(row)) !== x;
  }
  if (kind === 'boolean' || kind === 'multi') {
    failAt(
      'INVALID_QUERY_FILTER_OPERATOR',
      query,
      cond.field,
      `invalid operator on ${kind === 'boolean' ? 'boolean' : 'multipicklist'} field`,
    );
  }
  switch (op) {
    case '<':
      return (row) => {
        const v = norm(get(row)) as typeof x | null;
        return v !== null && v < x;
      };
    case '<=':
      return (row) => {
        const v = norm(get(row)) as typeof x | null;
        return v !== null && v <= x;
      };
    case '>':
      return (row) => {
        const v = norm(get(row)) as typeof x | null;
        return v !== null && v > x;
      };
    case '>=':
      return (row) => {
        const v = norm(get(row)) as typeof x | null;
        return v !== null && v >= x;
      };
  }
  return failAt('MALFORMED_QUERY', query, cond.operator, `unexpected token: '${cond.operator}'`);
}

function typeError(field: FieldDescribe, kind: Kind, raw: string, query: string): never {
  const quoted = kind === 'string' || kind === 'multi' || kind === 'id';
  const word = quoted ? 'string' : (TYPE_WORDS[field.type] ?? field.type);
  return failAt(
    'INVALID_FIELD',
    query,
    raw,
    `value of filter criterion for field '${field.name}' must be of type ${word} and ${quoted ? 'should' : 'should not'} be enclosed in quotes`,
  );
}

function badString(raw: string, bad: string, query: string): never {
  const at = query.indexOf(raw);
  return failAt(
    'MALFORMED_QUERY',
    query,
    '',
    `Invalid string literal '${raw.slice(1, -1)}'. Illegal character sequence '${bad}' in string literal.`,
    at,
  );
}

function literal(
  raw: string,
  type: LiteralType | undefined,
  variable: number | undefined,
  field: FieldDescribe,
  kind: Kind,
  ctx: WhereContext,
): Literal {
  const query = ctx.schema.query;
  if (type === 'NULL') return { null: true };
  switch (kind) {
    case 'string':
    case 'multi':
    case 'id': {
      if (type !== 'STRING') return typeError(field, kind, raw, query);
      const s = decodeString(raw);
      if (!s.ok) return badString(raw, s.bad, query);
      if (kind === 'id') {
        if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(s.value)) {
          failAt('INVALID_QUERY_FILTER_OPERATOR', query, raw, `invalid ID field: ${s.value}`);
        }
        return { value: idKey(s.value) };
      }
      return { value: kind === 'multi' ? multiKey(s.value) : s.value.toLowerCase() };
    }
    case 'number':
      if (type === 'INTEGER' || type === 'DECIMAL') return { value: Number(raw) };
      if (type === 'INTEGER_WITH_CURRENCY_PREFIX' || type === 'DECIMAL_WITH_CURRENCY_PREFIX') {
        return { value: Number(raw.replace(/^[A-Za-z]+/, '')) };
      }
      return typeError(field, kind, raw, query);
    case 'boolean':
      if (type === 'BOOLEAN') return { value: raw.toLowerCase() === 'true' };
      return typeError(field, kind, raw, query);
    case 'date':
    case 'datetime': {
      if ((type === 'DATE' && kind === 'date') || (type === 'DATETIME' && kind === 'datetime')) {
        const t = timeValue(raw);
        if (Number.isNaN(t)) return typeError(field, kind, raw, query);
        return { value: t };
      }
      if (type === 'DATE_LITERAL' || type === 'DATE_N_LITERAL') {
        const text = type === 'DATE_N_LITERAL' && !raw.includes(':') ? `${raw}:${variable}` : raw;
        const range = dateLiteralRange(text, ctx.now);
        if (!range) failAt('MALFORMED_QUERY', query, raw.split(':')[0]!, `unexpected token: '${raw}'`);
        return { range };
      }
      return typeError(field, kind, raw, query);
    }
    default:
      return typeError(field, kind, raw, query);
  }
}

function semiJoin(
  cond: ValueQueryCondition,
  kind: Kind,
  get: (row: Row) => unknown,
  ctx: WhereContext,
): Predicate {
  const query = ctx.schema.query;
  const op = cond.operator.toUpperCase().replace(/\s+/g, ' ');
  if (kind !== 'id' || (op !== 'IN' && op !== 'NOT IN')) {
    failAt(
      'INVALID_FIELD',
      query,
      cond.field,
      'semi join sub-selects are only allowed on id or reference fields with IN or NOT IN',
    );
  }
  const keys = new Set<string>();
  for (const v of ctx.semiJoin(cond.valueQuery)) {
    if (v !== null && v !== undefined && v !== '') keys.add(idKey(String(v)));
  }
  const member = (row: Row): boolean => {
    const v = get(row);
    return v !== null && v !== undefined && v !== '' && keys.has(idKey(String(v)));
  };
  return op === 'IN' ? member : (row) => !member(row);
}
