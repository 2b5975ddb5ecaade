// Date literals as values for the builder and the `soql` tag.
import { salesforceError } from '@sf/core';
import {
  checkLiteral,
  type SoqlLikePattern,
  type SoqlLiteral,
  toDateLiteral,
  toDateTimeLiteral,
} from './soql-literal.js';
import { markTrusted } from './sanitize-filter.js';
import { SOURCE } from './source.js';

function literal(text: string): SoqlLiteral {
  return Object.freeze(markTrusted({ $literal: text }));
}

function n(name: string): (count: number) => SoqlLiteral {
  return (count: number) => {
    if (!Number.isSafeInteger(count) || count < 0)
      throw salesforceError(
        SOURCE,
        'INVALID_ARGUMENT',
        `${name} expects a non-negative integer, got ${count}`,
      );
    return literal(`${name}:${count}`);
  };
}

/**
 * SOQL's date literals and date values, for conditions: `{ CreatedDate: { $gte:
 * SoqlDate.LAST_N_DAYS(3) } }`, or inside the tag: soql`... WHERE CloseDate = ${SoqlDate.TODAY}`.
 * A JavaScript `Date` is written as a datetime; use `SoqlDate.date(d)` for date fields.
 */
export const SoqlDate = Object.freeze({
  YESTERDAY: literal('YESTERDAY'),
  TODAY: literal('TODAY'),
  TOMORROW: literal('TOMORROW'),
  LAST_WEEK: literal('LAST_WEEK'),
  THIS_WEEK: literal('THIS_WEEK'),
  NEXT_WEEK: literal('NEXT_WEEK'),
  LAST_MONTH: literal('LAST_MONTH'),
  THIS_MONTH: literal('THIS_MONTH'),
  NEXT_MONTH: literal('NEXT_MONTH'),
  LAST_90_DAYS: literal('LAST_90_DAYS'),
  NEXT_90_DAYS: literal('NEXT_90_DAYS'),
  LAST_QUARTER: literal('LAST_QUARTER'),
  THIS_QUARTER: literal('THIS_QUARTER'),
  NEXT_QUARTER: literal('NEXT_QUARTER'),
  LAST_YEAR: literal('LAST_YEAR'),
  THIS_YEAR: literal('THIS_YEAR'),
  NEXT_YEAR: literal('NEXT_YEAR'),
  LAST_FISCAL_QUARTER: literal('LAST_FISCAL_QUARTER'),
  THIS_FISCAL_QUARTER: literal('THIS_FISCAL_QUARTER'),
  NEXT_FISCAL_QUARTER: literal('NEXT_FISCAL_QUARTER'),
  LAST_FISCAL_YEAR: literal('LAST_FISCAL_YEAR'),
  THIS_FISCAL_YEAR: literal('THIS_FISCAL_YEAR'),
  NEXT_FISCAL_YEAR: literal('NEXT_FISCAL_YEAR'),
  LAST_N_DAYS: n('LAST_N_DAYS'),
  NEXT_N_DAYS: n('NEXT_N_DAYS'),
  N_DAYS_AGO: n('N_DAYS_AGO'),
  LAST_N_WEEKS: n('LAST_N_WEEKS'),
  NEXT_N_WEEKS: n('NEXT_N_WEEKS'),
  N_WEEKS_AGO: n('N_WEEKS_AGO'),
  LAST_N_MONTHS: n('LAST_N_MONTHS'),
  NEXT_N_MONTHS: n('NEXT_N_MONTHS'),
  N_MONTHS_AGO: n('N_MONTHS_AGO'),
  LAST_N_QUARTERS: n('LAST_N_QUARTERS'),
  NEXT_N_QUARTERS: n('NEXT_N_QUARTERS'),
  N_QUARTERS_AGO: n('N_QUARTERS_AGO'),
  LAST_N_YEARS: n('LAST_N_YEARS'),
  NEXT_N_YEARS: n('NEXT_N_YEARS'),
  N_YEARS_AGO: n('N_YEARS_AGO'),
  LAST_N_FISCAL_QUARTERS: n('LAST_N_FISCAL_QUARTERS'),
  NEXT_N_FISCAL_QUARTERS: n('NEXT_N_FISCAL_QUARTERS'),
  N_FISCAL_QUARTERS_AGO: n('N_FISCAL_QUARTERS_AGO'),
  LAST_N_FISCAL_YEARS: n('LAST_N_FISCAL_YEARS'),
  NEXT_N_FISCAL_YEARS: n('NEXT_N_FISCAL_YEARS'),
  N_FISCAL_YEARS_AGO: n('N_FISCAL_YEARS_AGO'),
  /** A date field's value: the Date's UTC calendar day, `2024-05-01`. */
  date: (date: Date): SoqlLiteral => literal(toDateLiteral(date)),
  /** A datetime, `2024-05-01T10:00:00Z` (what a plain Date gives too). */
  dateTime: (date: Date): SoqlLiteral => literal(toDateTimeLiteral(date)),
  /** Any literal by name (`'LAST_N_DAYS:3'`), validated so it cannot carry other SOQL. */
  literal: (text: string): SoqlLiteral => literal(checkLiteral(text)),
});

/**
 * LIKE patterns from plain text, whose `%` and `_` match themselves: `{ Name: { $like:
 * SoqlLike.contains(userInput) } }`. A plain string given to `$like` keeps its wildcards.
 */
export const SoqlLike = Object.freeze({
  contains: (text: string): SoqlLikePattern => pattern(text, 'contains'),
  startsWith: (text: string): SoqlLikePattern => pattern(text, 'startsWith'),
  endsWith: (text: string): SoqlLikePattern => pattern(text, 'endsWith'),
  /** The whole value, case-insensitively (LIKE ignores case), with no wildcards. */
  exact: (text: string): SoqlLikePattern => pattern(text, 'exact'),
});

function pattern(text: string, anchor: SoqlLikePattern['anchor']): SoqlLikePattern {
  if (typeof text !== 'string')
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `SoqlLike.${anchor} expects a string`);
  return Object.freeze(markTrusted({ $likeText: text, anchor }));
}
