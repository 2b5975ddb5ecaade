import { salesforceError } from '@sf/core';
import { formatValue } from './soql-literal.js';
import { SOURCE } from './source.js';

/**
 * Whether the template text up to each placeholder leaves a single-quoted SOQL string open.
 * Backslash escapes inside a string (`'O\'Brien'`) do not close it.
 */
function checkPlaceholders(strings: readonly string[], count: number): void {
  let open = false;
  for (let i = 0; i < count; i++) {
    const text = strings[i] ?? '';
    for (let j = 0; j < text.length; j++) {
      const c = text[j];
      if (open && c === '\\') j++;
      else if (c === "'") open = !open;
    }
    if (open) {
      throw salesforceError(
        SOURCE,
        'INVALID_ARGUMENT',
        `placeholder ${i + 1} of the soql tag sits inside a quoted string: write \${value} without quotes (the tag quotes and escapes strings itself); for LIKE, pass SoqlLike.contains(text) or a whole pattern string`,
      );
    }
  }
}

/**
 * A tagged template that writes each interpolated value as an escaped SOQL literal: strings are
 * quoted (quotes, backslashes and line breaks escaped), numbers and booleans written as they
 * are, `null` as null, Dates as datetimes, arrays as `('a', 'b')` lists for `IN`, and
 * `SoqlDate`/`SoqlLike` values as literals. Whatever a value holds, it stays one value: it
 * cannot end the string, add a condition or change the query's shape. Values that have no SOQL
 * form (undefined, objects) throw INVALID_ARGUMENT, and so does a placeholder written inside
 * quotes in the template (`'${x}'`), where the value could close the quote.
 *
 * @example
 * const q = soql`SELECT Id FROM Contact WHERE LastName = ${name} AND CreatedDate > ${SoqlDate.LAST_N_DAYS(7)}`;
 * const result = await query(conn, q);
 */
export function soql(strings: TemplateStringsArray, ...values: unknown[]): string {
  checkPlaceholders(strings, values.length);
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += formatValue(values[i]) + (strings[i + 1] ?? '');
  return out;
}
