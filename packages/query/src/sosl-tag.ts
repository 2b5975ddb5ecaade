import { salesforceError } from '@sf/core';
import { formatValue } from './soql-literal.js';
import { SOURCE } from './source.js';

/**
 * SOSL's reserved characters in a search term, each to be preceded by a backslash (Salesforce,
 * SOQL and SOSL Reference, "FIND {SearchQuery}" and "Example Text Searches").
 */
export const SOSL_RESERVED = '?&|!{}[]()^~*:\\"\'+-';

const RESERVED = /[?&|!{}[\]()^~*:\\"'+-]/g;

/**
 * Escapes text for a SOSL `FIND {...}` term: every reserved character (`? & | ! { } [ ] ( ) ^ ~
 * * : \ " ' + -`) gets a backslash, so the text cannot close the braces, add wildcards or
 * group. The words AND, OR and AND NOT between spaces still act as operators, as in a search box.
 *
 * @example
 * escapeSoslTerm('AT&T (US)') // 'AT\\&T \\(US\\)'
 */
export function escapeSoslTerm(text: string): string {
  if (typeof text !== 'string')
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'escapeSoslTerm expects a string');
  return text.replace(RESERVED, (c) => `\\${c}`);
}

function termValue(value: unknown, index: number): string {
  if (typeof value === 'string') return escapeSoslTerm(value);
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isFinite(value)))
    return escapeSoslTerm(String(value));
  throw salesforceError(
    SOURCE,
    'INVALID_ARGUMENT',
    `placeholder ${index + 1} of the sosl tag is in a FIND {...} term: give a string or a number`,
  );
}

/**
 * A tagged template for SOSL. A placeholder inside the `FIND {...}` braces is search text: its
 * reserved characters are escaped, so it stays inside the term. A placeholder elsewhere (in a
 * `RETURNING Account(Id WHERE Site = ${site})` or `LIMIT ${n}`) is a SOQL literal, as the
 * `soql` tag writes it; placeholders inside quotes in the template throw INVALID_ARGUMENT.
 *
 * @example
 * const { searchRecords } = await search(conn,
 *   sosl`FIND {${userText}} IN NAME FIELDS RETURNING Account(Id, Name WHERE Site = ${site}) LIMIT ${10}`);
 */
export function sosl(strings: TemplateStringsArray, ...values: unknown[]): string {
  let inTerm = false;
  let inQuote = false;
  let out = '';
  for (let i = 0; i <= values.length; i++) {
    const text = strings[i] ?? '';
    for (let j = 0; j < text.length; j++) {
      const c = text[j];
      if ((inTerm || inQuote) && c === '\\') j++;
      else if (inTerm) inTerm = c !== '}';
      else if (c === "'") inQuote = !inQuote;
      else if (!inQuote && c === '{') inTerm = true;
    }
    out += text;
    if (i === values.length) break;
    if (inQuote && !inTerm) {
      throw salesforceError(
        SOURCE,
        'INVALID_ARGUMENT',
        `placeholder ${i + 1} of the sosl tag sits inside a quoted string: write \${value} without quotes (the tag quotes and escapes strings itself)`,
      );
    }
    out += inTerm ? termValue(values[i], i) : formatValue(values[i]);
  }
  return out;
}
