import { refuseOldArguments } from '@sf/core';
import { assertConnection, type Connection, salesforceError } from '@sf/core';
import {
  type Conditions,
  type FieldList,
  type QuerySpec,
  type SortSpec,
  buildSoql,
} from './query-builder.js';
import { Query } from './query.js';
import type { QueryOptions, SObjectRecord } from './query-types.js';
import { USE_QUERY } from './no-callback.js';
import { SOURCE } from './source.js';

/** Options of {@link find}: a query's options, plus `includeDeleted` and `sanitizeFilter`. */
export interface FindOptions extends QueryOptions {
  /** Send the query to `queryAll`, which sees deleted and archived rows. Default false. */
  includeDeleted?: boolean;
  /**
   * Refuse (INVALID_ARGUMENT, nothing sent) any condition value that is an object with `$` keys
   * unless it is wrapped in `trusted(...)`, so a JSON body's `{"$ne": null}` cannot become an
   * operator. Default: the connection's `sanitizeFilter` option, else false.
   */
  sanitizeFilter?: boolean;
}

/**
 * A query built from conditions (see {@link find}): chain `sort`, `limit`, `skip` before using it,
 * then use it as any {@link Query} (await, `for await`, `stream()`, events).
 */
export class FindQuery<T = SObjectRecord> extends Query<T> {
  readonly #spec: { -readonly [K in keyof QuerySpec]: QuerySpec[K] };
  readonly #sent: { value: boolean };

  /** @internal Use {@link find}. */
  constructor(conn: Connection, spec: QuerySpec, options: FindOptions = {}) {
    const { includeDeleted, sanitizeFilter, ...rest } = options;
    const state = { ...spec, sanitizeFilter: sanitizeFilter ?? conn.sanitizeFilter === true };
    const sent = { value: false };
    buildSoql(state);
    super(
      conn,
      {
        kind: 'soql',
        resource: includeDeleted ? 'queryAll' : 'query',
        soql: () => {
          sent.value = true;
          return buildSoql(state);
        },
      },
      rest,
    );
    this.#spec = state;
    this.#sent = sent;
  }

  #change(patch: Partial<QuerySpec>): this {
    if (this.#sent.value)
      throw salesforceError(
        SOURCE,
        'INVALID_ARGUMENT',
        'the query was already sent: sort, limit and skip go before using it',
      );
    const next = { ...this.#spec, ...patch };
    buildSoql(next);
    Object.assign(this.#spec, patch);
    return this;
  }

  /** `ORDER BY`: `{ CreatedDate: -1, Name: 1 }` or `'-CreatedDate Name'`. */
  sort(sort: SortSpec): this {
    return this.#change({ sort });
  }

  /** `LIMIT n`. */
  limit(limit: number): this {
    return this.#change({ limit });
  }

  /** `OFFSET n` (Salesforce allows up to 2,000). */
  skip(offset: number): this {
    return this.#change({ offset });
  }

  /** Same as {@link FindQuery.skip}. */
  offset(offset: number): this {
    return this.#change({ offset });
  }

  /** The SOQL this builder produces now. */
  override toSOQL(): string {
    return buildSoql(this.#spec);
  }
}

/**
 * The JSON-style query builder, MongoDB-like: conditions and fields as plain data, rendered to
 * SOQL with every name validated and every value escaped.
 *
 * @example
 * const contacts = await find(conn, 'Contact',
 *   { LastName: { $like: 'A%' }, CreatedDate: { $gte: SoqlDate.YESTERDAY }, 'Account.Name': 'Sony, Inc.' },
 *   { Id: 1, Name: 1, CreatedDate: 1 })
 *   .sort({ CreatedDate: -1, Name: 1 })
 *   .limit(10);
 */
export function find<T = SObjectRecord>(
  conn: Connection,
  sobjectType: string,
  conditions: Conditions = {},
  fields?: FieldList,
  options?: FindOptions,
): FindQuery<T> {
  // The conditions and the field list are data (field names), not options.
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'find()', arguments, { data: [2, 3], instead: USE_QUERY });
  assertConnection(conn, SOURCE);
  return new FindQuery<T>(
    conn,
    { sobject: sobjectType, conditions, ...(fields === undefined ? {} : { fields }) },
    options,
  );
}
