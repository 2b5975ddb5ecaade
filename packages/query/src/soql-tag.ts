import { formatValue } from './soql-literal.js';

/**
 * A tagged template that writes each interpolated value as an escaped SOQL literal: strings are
 * quoted (quotes, backslashes and line breaks escaped), numbers and booleans written as they
 * are, `null` as null, Dates as datetimes, arrays as `('a', 'b')` lists for `IN`, and
 * `SoqlDate`/`SoqlLike` values as literals. Whatever a value holds, it stays one value: it
 * cannot end the string, add a condition or change the query's shape. Values that have no SOQL
 * form (undefined, objects) throw INVALID_ARGUMENT.
 *
 * @example
 * const q = soql`SELECT Id FROM Contact WHERE LastName = ${name} AND CreatedDate > ${SoqlDate.LAST_N_DAYS(7)}`;
 * const result = await query(conn, q);
 */
export function soql(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += formatValue(values[i]) + (strings[i + 1] ?? '');
  return out;
}
