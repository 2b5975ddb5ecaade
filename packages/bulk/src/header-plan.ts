// A page's header compiled once into a plan for building its records: for each column, the
// object it goes into (the record or one of its parents) and the key, plus the parents to create
// where their first column comes. A record is then one loop over the cells, with no dotted-name
// splitting, no flat intermediate object and no closure per record.
import { unflattenRecord } from '@sf/record-stream';

/** @internal Turns one column's text into its value; undefined keeps the text. */
export type ColumnCast = ((text: string) => unknown) | undefined;

/** @internal A compiled header: builds the record of one row's cells. */
export interface HeaderPlan {
  readonly width: number;
  build(cells: readonly string[]): Record<string, unknown>;
}

/** @internal How the values of one header are made: empty cells, and a cast per column. */
export interface PlanOptions {
  emptyAsNull: boolean;
  /** The cast for a column (by its header name), or undefined for none. */
  castFor?: ((column: string) => ColumnCast) | undefined;
  /** Nest dotted columns into parent objects (`Owner.Name` → `{ Owner: { Name } }`). Default true. */
  nest?: boolean;
}

const NONE: readonly number[] = [];

/** @internal Compiles `columns` (a header row, no duplicates) into a plan. */
export function compileHeader(columns: readonly string[], options: PlanOptions): HeaderPlan {
  const casts = columns.map((c) => options.castFor?.(c));
  const nest = options.nest ?? true;
  const paths = columns.map((c) => (nest ? c.split('.') : [c]));
  const literal = (parts: string[]) => parts.length === 1 || parts.some((p) => p === '');
  const unsafe = columns.some((c) => c.split('.').includes('__proto__'));
  if (unsafe) return new GenericPlan(columns, casts, options.emptyAsNull, nest);
  if (paths.every(literal)) return new FlatPlan(columns, casts, options.emptyAsNull);
  // Parents by dotted prefix; a column that is also a parent (`Account` beside `Account.Name`)
  // takes unflattenRecord's rules for the clash, on the generic plan.
  const leaves = new Set(columns.filter((_, i) => literal(paths[i] as string[])));
  const parents = new Map<string, number>([['', 0]]);
  const parentOf: number[] = [0];
  const parentKey: string[] = [''];
  const target: number[] = [];
  const key: string[] = [];
  const create: (readonly number[])[] = [];
  for (let i = 0; i < columns.length; i++) {
    const parts = paths[i] as string[];
    if (literal(parts)) {
      target.push(0);
      key.push(columns[i] as string);
      create.push(NONE);
      continue;
    }
    const made: number[] = [];
    let at = 0;
    let prefix = '';
    for (let p = 0; p < parts.length - 1; p++) {
      prefix = p === 0 ? (parts[0] as string) : `${prefix}.${parts[p] as string}`;
      if (leaves.has(prefix)) return new GenericPlan(columns, casts, options.emptyAsNull, nest);
      let index = parents.get(prefix);
      if (index === undefined) {
        index = parentOf.length;
        parents.set(prefix, index);
        parentOf.push(at);
        parentKey.push(parts[p] as string);
        made.push(index);
      }
      at = index;
    }
    if (parents.has(columns[i] as string)) return new GenericPlan(columns, casts, options.emptyAsNull, nest);
    leaves.add(columns[i] as string);
    target.push(at);
    key.push(parts[parts.length - 1] as string);
    create.push(made.length === 0 ? NONE : made);
  }
  return new NestedPlan(columns.length, casts, options.emptyAsNull, target, key, create, parentOf, parentKey);
}

class FlatPlan implements HeaderPlan {
  readonly width: number;
  constructor(
    readonly columns: readonly string[],
    readonly casts: readonly ColumnCast[],
    readonly emptyAsNull: boolean,
  ) {
    this.width = columns.length;
  }

  build(cells: readonly string[]): Record<string, unknown> {
    const { columns, casts, emptyAsNull, width } = this;
    const record: Record<string, unknown> = {};
    for (let i = 0; i < width; i++) {
      const text = cells[i] as string;
      const cast = casts[i];
      record[columns[i] as string] =
        emptyAsNull && text === '' ? null : cast === undefined ? text : cast(text);
    }
    return record;
  }
}

class NestedPlan implements HeaderPlan {
  readonly #objects: Record<string, unknown>[];
  constructor(
    readonly width: number,
    readonly casts: readonly ColumnCast[],
    readonly emptyAsNull: boolean,
    readonly target: readonly number[],
    readonly key: readonly string[],
    readonly create: readonly (readonly number[])[],
    readonly parentOf: readonly number[],
    readonly parentKey: readonly string[],
  ) {
    this.#objects = parentOf.map(() => ({}));
  }

  build(cells: readonly string[]): Record<string, unknown> {
    const { casts, emptyAsNull, width, target, key, create, parentOf, parentKey } = this;
    const objects = this.#objects;
    const record: Record<string, unknown> = {};
    objects[0] = record;
    for (let i = 0; i < width; i++) {
      const made = create[i] as readonly number[];
      for (let m = 0; m < made.length; m++) {
        const p = made[m] as number;
        const parent: Record<string, unknown> = {};
        objects[p] = parent;
        (objects[parentOf[p] as number] as Record<string, unknown>)[parentKey[p] as string] = parent;
      }
      const text = cells[i] as string;
      const cast = casts[i];
      (objects[target[i] as number] as Record<string, unknown>)[key[i] as string] =
        emptyAsNull && text === '' ? null : cast === undefined ? text : cast(text);
    }
    return record;
  }
}

/** Rare headers (`__proto__`, a column that is also a parent): a flat object, then unflattened. */
class GenericPlan implements HeaderPlan {
  readonly width: number;
  constructor(
    readonly columns: readonly string[],
    readonly casts: readonly ColumnCast[],
    readonly emptyAsNull: boolean,
    readonly nest: boolean,
  ) {
    this.width = columns.length;
  }

  build(cells: readonly string[]): Record<string, unknown> {
    const flat: Record<string, unknown> = {};
    for (let i = 0; i < this.width; i++) {
      const text = cells[i] as string;
      const cast = this.casts[i];
      Object.defineProperty(flat, this.columns[i] as string, {
        value: this.emptyAsNull && text === '' ? null : cast === undefined ? text : cast(text),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return this.nest ? unflattenRecord(flat) : flat;
  }
}

/**
 * @internal The rule both page readers apply to each CSV row: the first row is the header (no
 * duplicate names) and compiles the plan; a data row must have the header's width, except a
 * blank line, skipped when there are several columns. `accept` gives the plan for a data row.
 */
export interface HeaderGate {
  readonly plan: HeaderPlan | undefined;
  accept(cells: string[], count: number, line: number): HeaderPlan | undefined;
}

/** @internal See {@link HeaderGate}; `malformed` makes the error for a bad row. */
export function headerGate(options: PlanOptions, malformed: (message: string) => Error): HeaderGate {
  let plan: HeaderPlan | undefined;
  return {
    get plan() {
      return plan;
    },
    accept(cells, count, line) {
      if (plan === undefined) {
        const header = cells.slice(0, count);
        if (new Set(header).size !== header.length) {
          throw malformed(`duplicate column in the header row (line ${line})`);
        }
        plan = compileHeader(header, options);
        return undefined;
      }
      if (count === plan.width) return plan;
      // A blank line cannot be a record of several fields; with one column it is an empty field.
      if (count === 1 && cells[0] === '' && plan.width > 1) return undefined;
      throw malformed(`line ${line} has ${count} fields, the header ${plan.width}`);
    },
  };
}
