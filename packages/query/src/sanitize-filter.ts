// sanitizeFilter and trusted(), as mongoose answers operator injection: conditions are plain data,
// so a JSON body that holds `{"$ne": null}` where a string was expected becomes an operator.
// Under sanitizeFilter, an object with `$` keys is only taken from code that vouched for it.
import { salesforceError } from '@sf/core';
import { describe, isSoqlLikePattern, isSoqlLiteral } from './soql-literal.js';
import { SOURCE } from './source.js';

// Symbol.for, so that values marked by another installed copy of this package are recognised;
// JSON.parse (or any deserialiser of user input) can never produce a symbol key.
const TRUSTED = Symbol.for('@sf/query.trusted');

/**
 * Marks an object with `$` keys (operators, `$and`/`$or`/`$not` under a relationship, a
 * `{ $literal }`) as written by your code, so that `sanitizeFilter` lets it through. It vouches
 * for that object only: values inside it are checked as usual, so a user value placed in a
 * trusted operator (`trusted({ $in: body.ids })`) still cannot bring operators of its own.
 * Returns a marked shallow copy. `SoqlDate` and `SoqlLike` values are already trusted.
 *
 * @example
 * find(conn, 'Account', { Name: body.name, CreatedDate: trusted({ $gte: SoqlDate.YESTERDAY }) },
 *   ['Id'], { sanitizeFilter: true });
 */
export function trusted<T extends object>(value: T): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `trusted() takes an object of operators or conditions, got ${describe(value)}`,
    );
  }
  if (isTrusted(value)) return value;
  const copy = { ...value };
  Object.defineProperty(copy, TRUSTED, { value: true });
  return copy;
}

/** @internal Marks a value this package made (date literals, LIKE patterns) as trusted. */
export function markTrusted<T extends object>(value: T): T {
  Object.defineProperty(value, TRUSTED, { value: true });
  return value;
}

/** Whether `value` was marked by {@link trusted} (or made by `SoqlDate`/`SoqlLike`). */
export function isTrusted(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.hasOwn(value, TRUSTED) &&
    (value as Record<symbol, unknown>)[TRUSTED] === true
  );
}

function isObjectValue(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function hasDollarKey(value: Record<string, unknown>): boolean {
  return Object.keys(value).some((k) => k.startsWith('$'));
}

function refused(path: string): never {
  throw salesforceError(
    SOURCE,
    'INVALID_ARGUMENT',
    `sanitizeFilter: the value for ${JSON.stringify(path)} is an object with $ keys (operators); wrap it in trusted(...) if your code built it, never if it came from user input`,
  );
}

function checkOperand(value: unknown, path: string): void {
  if (isObjectValue(value) && hasDollarKey(value) && !isTrusted(value)) refused(path);
}

/** Structure `$and`/`$or`/`$not` is the caller's; every field's value is checked. */
function checkConditions(conditions: unknown, prefix: string): void {
  if (!isObjectValue(conditions)) return; // the renderer refuses what is not conditions
  for (const [key, value] of Object.entries(conditions)) {
    if (key === '$and' || key === '$or') {
      if (Array.isArray(value)) for (const sub of value) checkConditions(sub, prefix);
    } else if (key === '$not') {
      checkConditions(value, prefix);
    } else if (!key.startsWith('$')) {
      checkFieldValue(value, prefix + key);
    }
  }
}

function checkFieldValue(value: unknown, path: string): void {
  if (Array.isArray(value)) {
    for (const item of value) checkOperand(item, path);
    return;
  }
  if (!isObjectValue(value)) return;
  if (!hasDollarKey(value)) {
    checkConditions(value, `${path}.`); // a relationship: { Account: { Name: ... } }
    return;
  }
  if (!isTrusted(value)) refused(path);
  checkTrustedObject(value, path);
}

function checkTrustedObject(value: Record<string, unknown>, path: string): void {
  if (isSoqlLiteral(value) || isSoqlLikePattern(value)) return;
  const keys = Object.keys(value);
  if (keys.some((k) => !k.startsWith('$') || k === '$and' || k === '$or')) {
    checkConditions(value, `${path}.`); // a relationship's conditions with $and/$or/$not among them
    return;
  }
  for (const [op, operand] of Object.entries(value)) {
    if (op === '$not' && isObjectValue(operand) && hasDollarKey(operand)) checkTrustedObject(operand, path);
    else if (op === '$not') checkFieldValue(operand, path);
    else if (Array.isArray(operand)) for (const item of operand) checkOperand(item, path);
    else checkOperand(operand, path);
  }
}

/**
 * Throws INVALID_ARGUMENT when a condition value is an object with `$` keys that no code vouched
 * for with {@link trusted}: what `sanitizeFilter: true` checks before any SOQL is written.
 */
export function checkSanitized(conditions: unknown): void {
  checkConditions(conditions, '');
}
