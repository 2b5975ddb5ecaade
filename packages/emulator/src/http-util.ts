// Reading requests and writing responses in Salesforce's shapes. Routes throw HttpError (or
// StoreError) instead of writing error responses themselves, so every error leaves one way.

import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** One entry of Salesforce's REST error array. */
export interface SalesforceErrorEntry {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** Ends a request with a status and a body (JSON unless a content type says otherwise). */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly body: unknown;
  readonly headers: OutgoingHttpHeaders;

  constructor(status: number, body: unknown, headers: OutgoingHttpHeaders = {}) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** The REST error for a resource that does not exist, as Salesforce words it. */
export const NOT_FOUND: SalesforceErrorEntry = {
  errorCode: 'NOT_FOUND',
  message: 'The requested resource does not exist',
};

export function errorResponse(
  status: number,
  entry: SalesforceErrorEntry,
  headers?: OutgoingHttpHeaders,
): HttpError {
  return new HttpError(status, [entry], headers);
}

/** Default request body limit: Salesforce's REST limit for JSON bodies with base64 blobs. */
export const DEFAULT_BODY_LIMIT = 50 * 1024 * 1024;

/** Reads the whole body; rejects with 413 past `limit` bytes instead of buffering without end. */
export async function readBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): HttpError {
  return errorResponse(413, {
    errorCode: 'REQUEST_ENTITY_TOO_LARGE',
    message: `Request body exceeds the limit of ${limit} bytes`,
  });
}

/** Parses a JSON body, answering malformed JSON as Salesforce does (400 JSON_PARSER_ERROR). */
export async function readJson(req: IncomingMessage, limit?: number): Promise<unknown> {
  const text = (await readBody(req, limit)).toString('utf8');
  if (text.trim() === '') {
    throw errorResponse(400, {
      errorCode: 'JSON_PARSER_ERROR',
      message: 'No content to map due to end-of-input',
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw errorResponse(400, { errorCode: 'JSON_PARSER_ERROR', message: `Unexpected character: ${detail}` });
  }
}

/** A JSON body that must be an object (a record), not an array or scalar. */
export async function readJsonObject(req: IncomingMessage, limit?: number): Promise<Record<string, unknown>> {
  const body = await readJson(req, limit);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const token = Array.isArray(body) ? 'START_ARRAY' : 'VALUE_STRING';
    throw errorResponse(400, {
      errorCode: 'JSON_PARSER_ERROR',
      message: `Cannot deserialize instance of SObject from ${token} value or request may be missing a required field`,
    });
  }
  return body as Record<string, unknown>;
}

/** Parses an application/x-www-form-urlencoded body. */
export async function readForm(req: IncomingMessage, limit = 1024 * 1024): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(req, limit)).toString('utf8'));
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': payload.length,
    ...headers,
  });
  res.end(payload);
}

export function sendText(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  contentType: string,
  headers: OutgoingHttpHeaders = {},
): void {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'content-type': contentType, 'content-length': payload.length, ...headers });
  res.end(payload);
}

/** A response without a body (204, 304, and the 200 of revoke). */
export function sendEmpty(res: ServerResponse, status: number, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, status === 204 || status === 304 ? headers : { 'content-length': 0, ...headers });
  res.end();
}

/** Salesforce's error array: `[{"message":"...","errorCode":"..."}]`. */
export function sendErrors(
  res: ServerResponse,
  status: number,
  errors: SalesforceErrorEntry[],
  headers: OutgoingHttpHeaders = {},
): void {
  sendJson(res, status, errors, headers);
}

/** The bearer token of `Authorization: Bearer x` (or Salesforce's older `OAuth x`). */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}
