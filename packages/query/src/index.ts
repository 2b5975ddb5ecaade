export { type FindOptions, FindQuery, find } from './find.js';
export type { QueryResult } from './page-reader.js';
export {
  type Conditions,
  type FieldList,
  type FieldOperators,
  type QuerySpec,
  type RenderOptions,
  type SortSpec,
  buildSoql,
  renderConditions,
} from './query-builder.js';
export { Query, query, queryAll, queryMore } from './query.js';
export type {
  QueryEvents,
  QueryOptions,
  QueryStreamOptions,
  RunOptions,
  SObjectRecord,
} from './query-types.js';
export type { CallOptions, RequestOptions } from './call-options.js';
export {
  type ExplainResult,
  explain,
  type QueryPlan,
  type SearchResult,
  search,
} from './search.js';
export { isTrusted, trusted } from './sanitize-filter.js';
export { SoqlDate, SoqlLike } from './soql-date.js';
export {
  escapeSoqlString,
  quoteSoqlString,
  type SoqlLikePattern,
  type SoqlLiteral,
  type SoqlScalar,
  type SoqlValue,
  toDateLiteral,
  toDateTimeLiteral,
} from './soql-literal.js';
export { soql } from './soql-tag.js';
export { escapeSoslTerm, SOSL_RESERVED, sosl } from './sosl-tag.js';
