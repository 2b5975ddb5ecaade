// Path segments built from user values: record ids, type and field names, external id values,
// Apex REST uris. URL parsers resolve `..` and `.` segments, percent-encoded too (`%2e%2e`, in
// any case), so `retrieve('..')` would read `/sobjects` and an Apex REST uri could leave
// /services/apexrest/. Everything here is checked before a request is built.

import { salesforceError } from '@sf/core';
import { SOURCE } from './errors.js';

const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** A record id: 15 or 18 letters and digits. */
export function checkRecordId(id: unknown, what = 'a record id'): string {
  if (typeof id !== 'string' || !RECORD_ID.test(id)) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `${what} must be 15 or 18 letters and digits, got ${shown(id)}`,
    );
  }
  return id;
}

/** An sObject or field API name (`Account`, `ExtId__c`). */
export function checkApiName(name: unknown, what: string): string {
  if (typeof name !== 'string' || !NAME.test(name))
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `not ${what}: ${shown(name)}`);
  return name;
}

/** The text after undoing percent-encoding as often as it changes (a few rounds at most). */
function decodeFully(text: string): string {
  let current = text;
  for (let i = 0; i < 4; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return current;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}

/** Whether a segment is, or once decoded holds, a `.` or `..` segment (split at `/` and `\`). */
export function hasDotSegment(segment: string): boolean {
  return decodeFully(segment)
    .split(/[/\\]/)
    .some((part) => part === '.' || part === '..');
}

/** One user value as one encoded path segment; dot segments (also encoded) are refused. */
export function pathSegment(value: unknown, what: string): string {
  const text = typeof value === 'number' || typeof value === 'bigint' ? String(value) : value;
  if (typeof text !== 'string' || text === '')
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `${what} must be a non-empty string`);
  if (hasDotSegment(text))
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `${what} cannot be a dot segment: ${shown(text)}`);
  return encodeURIComponent(text);
}

const APEX_ROOT = '/services/apexrest/';

/**
 * `/services/apexrest/{uri}`, refusing a uri that is a URL, has a dot segment (plain, encoded,
 * or with backslashes, which URL parsers read as slashes), or would otherwise resolve outside
 * /services/apexrest/.
 */
export function apexRestPath(uri: unknown): string {
  if (typeof uri !== 'string' || uri === '')
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'apexRest needs a uri');
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri))
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'apexRest uri is a path under /services/apexrest');
  const pathPart = uri.split(/[?#]/, 1)[0] ?? '';
  if (pathPart.split(/[/\\]/).some(hasDotSegment)) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `apexRest uri cannot hold . or .. segments: ${shown(uri)}`,
    );
  }
  const path = `${APEX_ROOT}${uri.replace(/^[/\\]+/, '')}`;
  const probe = new URL(`https://apexrest.invalid${path}`);
  if (probe.host !== 'apexrest.invalid' || !probe.pathname.startsWith(APEX_ROOT)) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `apexRest uri resolves outside /services/apexrest: ${shown(uri)}`,
    );
  }
  return path;
}
