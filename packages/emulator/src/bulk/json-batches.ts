// Bulk API 1.0 with `contentType: JSON`: job and batch control in JSON, batches as JSON arrays of
// records, results as JSON arrays (simple-salesforce uses only these). Salesforce documents JSON
// beside CSV and XML; the XML and CSV paths stay in routes/bulk1.ts.

import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from '../http-util.js';

/** True when a request speaks JSON (its body or what it accepts), or its job is a JSON job. */
export function wantsJson(headers: IncomingHttpHeaders, jobContentType?: string): boolean {
  if (jobContentType === 'JSON') return true;
  const type = String(headers['content-type'] ?? '');
  const accept = String(headers.accept ?? '');
  return /json/i.test(type) || (/json/i.test(accept) && !/xml/i.test(accept));
}

const NUMERIC = /^(number|total|api|apex)/;

/**
 * A jobInfo or batchInfo as JSON: the same fields as the XML, counts and times as numbers,
 * `apiVersion` as a number (36.0), absent values as null.
 */
export function infoJson(fields: readonly [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of fields) {
    if (value === undefined) out[key] = null;
    else if (key === 'apiVersion' || (NUMERIC.test(key) && typeof value === 'string'))
      out[key] = Number(value);
    else out[key] = value;
  }
  return out;
}

/**
 * A JSON batch (an array of records) as the row maps the Bulk processing applies: null becomes
 * `#N/A` (set to null), numbers and booleans their text. Throws for anything else.
 */
export function parseJsonRecords(body: Buffer): Record<string, string>[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new Error(`Unable to parse JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new Error('a JSON batch is an array of records');
  return parsed.map((record, i) => {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new Error(`record ${i + 1} is not an object`);
    }
    const row: Record<string, string> = {};
    for (const [key, value] of Object.entries(record as Record<string, unknown>)) {
      if (key === 'attributes') continue;
      if (value === null) row[key] = '#N/A';
      else if (typeof value === 'string') row[key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') row[key] = String(value);
      else throw new Error(`record ${i + 1}: ${key} must be a string, number, boolean or null`);
    }
    return row;
  });
}

/** `{"statusCode":"REQUIRED_FIELD_MISSING","message":"...","fields":["Name"]}` from the Bulk error text. */
function errorEntry(text: string): { statusCode: string; message: string; fields: string[] } {
  // The text is `CODE:message:field,field --`, as the CSV results carry it.
  const m = /^([A-Z_]+):([\s\S]*):([^:]*) --$/.exec(text);
  if (!m) return { statusCode: 'UNKNOWN_EXCEPTION', message: text, fields: [] };
  const fields = (m[3] ?? '').split(',').filter((f) => f !== '');
  return { statusCode: m[1] as string, message: m[2] as string, fields };
}

/** A DML batch's results in input order: `[{"success":true,"created":true,"id":"001...","errors":[]}]`. */
export function dmlResultsJson(results: readonly [string, boolean, boolean, string][]): unknown[] {
  return results.map(([id, success, created, error]) => ({
    success,
    created,
    id: id === '' ? null : id,
    errors: error === '' ? [] : [errorEntry(error)],
  }));
}

/** Converts Bulk 1.0's XML error answer into its JSON form, `{"exceptionCode", "exceptionMessage"}`. */
export function jsonError(error: unknown): unknown {
  if (!(error instanceof HttpError) || typeof error.body !== 'string') return error;
  const code = /<exceptionCode>([^<]*)<\/exceptionCode>/.exec(error.body)?.[1];
  const message = /<exceptionMessage>([^<]*)<\/exceptionMessage>/.exec(error.body)?.[1];
  if (code === undefined) return error;
  const unescapeXml = (s: string) =>
    s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));
  const { 'content-type': _xml, ...headers } = error.headers;
  return new HttpError(
    error.status,
    { exceptionCode: code, exceptionMessage: unescapeXml(message ?? '') },
    headers,
  );
}
