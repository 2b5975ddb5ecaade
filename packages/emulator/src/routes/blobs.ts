// Blob uploads: POST /sobjects/{Obj} and PATCH /sobjects/{Obj}/{id} with multipart/form-data,
// an `entity_...` JSON part followed by the binary part named after the blob field (Body,
// VersionData). The request is parsed as it arrives; only the binary part is kept (the store
// holds blobs as base64, as the REST API shows them).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { drained } from '../drained.js';
import { errorResponse, sendEmpty, sendJson } from '../http-util.js';
import type { RestContext } from '../rest-guard.js';
import type { OrgStore } from '../store.js';

/** Largest multipart upload accepted (ContentVersion allows 2 GB; the emulator keeps it in memory). */
const MAX_UPLOAD = 512 * 1024 * 1024;
const MAX_PART_HEADERS = 16 * 1024;

export interface MultipartPart {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
  chunks: Buffer[];
  size: number;
}

export function isMultipart(req: IncomingMessage): boolean {
  return /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
}

function malformed(message: string) {
  return errorResponse(400, { errorCode: 'INVALID_MULTIPART_REQUEST', message });
}

function parseHeaders(text: string): Omit<MultipartPart, 'chunks' | 'size'> {
  const headers = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = headers.get('content-disposition') ?? '';
  const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
  if (!name) throw malformed('every part needs a Content-Disposition with a name');
  return {
    name,
    filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1],
    contentType: headers.get('content-type'),
  };
}

/**
 * Reads a multipart/form-data body incrementally: the buffer holds at most one network chunk
 * plus a boundary's length, whatever the size of the parts.
 */
export async function readMultipart(req: IncomingMessage): Promise<MultipartPart[]> {
  const boundary = /boundary="?([^";]+)"?/i.exec(req.headers['content-type'] ?? '')?.[1];
  if (!boundary) throw malformed('multipart/form-data needs a boundary');
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const parts: MultipartPart[] = [];
  let state: 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done' = 'preamble';
  let current: MultipartPart | undefined;
  // The leading CRLF lets the first boundary match the same delimiter as the others.
  let buf: Buffer = Buffer.from('\r\n');
  let total = 0;
  const keep = (part: MultipartPart, bytes: Buffer) => {
    if (bytes.length === 0) return;
    part.chunks.push(Buffer.from(bytes));
    part.size += bytes.length;
  };
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_UPLOAD) {
      throw errorResponse(413, {
        errorCode: 'REQUEST_ENTITY_TOO_LARGE',
        message: `Request body exceeds the limit of ${MAX_UPLOAD} bytes`,
      });
    }
    if (state === 'done') continue;
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    for (;;) {
      if (state === 'preamble' || state === 'body') {
        const at = buf.indexOf(delimiter);
        if (at === -1) {
          const safe = Math.max(0, buf.length - (delimiter.length - 1));
          if (state === 'body' && current) keep(current, buf.subarray(0, safe));
          buf = buf.subarray(safe);
          break;
        }
        if (state === 'body' && current) {
          keep(current, buf.subarray(0, at));
          parts.push(current);
          current = undefined;
        }
        buf = buf.subarray(at + delimiter.length);
        state = 'after-delimiter';
      } else if (state === 'after-delimiter') {
        if (buf.length < 2) break;
        const next = buf.subarray(0, 2).toString('latin1');
        if (next === '--') {
          state = 'done';
          break;
        }
        if (next !== '\r\n') throw malformed('malformed multipart boundary');
        buf = buf.subarray(2);
        state = 'headers';
      } else if (state === 'headers') {
        const end = buf.indexOf('\r\n\r\n');
        if (end === -1) {
          if (buf.length > MAX_PART_HEADERS) throw malformed('part headers too long');
          break;
        }
        current = { ...parseHeaders(buf.subarray(0, end).toString('utf8')), chunks: [], size: 0 };
        buf = buf.subarray(end + 4);
        state = 'body';
      } else {
        break;
      }
    }
  }
  if (state !== 'done') throw malformed('the multipart body ended before its closing boundary');
  return parts;
}

/** The record fields of a blob upload: the entity JSON plus the binary part as base64. */
async function uploadedFields(
  rc: RestContext,
  store: OrgStore,
  objectName: string,
): Promise<Record<string, unknown>> {
  const parts = await readMultipart(rc.req);
  const entity = parts.find((p) => p.name.toLowerCase().startsWith('entity_'));
  let fields: Record<string, unknown> = {};
  if (entity) {
    try {
      fields = JSON.parse(Buffer.concat(entity.chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      throw errorResponse(400, {
        errorCode: 'JSON_PARSER_ERROR',
        message: 'The entity part is not valid JSON',
      });
    }
  }
  for (const part of parts) {
    if (part === entity) continue;
    const f = store.field(objectName, part.name);
    if (f?.type !== 'base64') {
      throw errorResponse(400, {
        errorCode: 'INVALID_FIELD',
        message: `No such binary field '${part.name}' on sobject of type ${objectName}`,
      });
    }
    fields[f.name] = Buffer.concat(part.chunks, part.size).toString('base64');
  }
  return fields;
}

/** POST /sobjects/{Obj} with a multipart body: 201 `{id, success, errors}`. */
export async function createFromMultipart(
  rc: RestContext,
  store: OrgStore,
  objectName: string,
): Promise<void> {
  const fields = await uploadedFields(rc, store, objectName);
  const id = store.insert(objectName, fields, { userId: rc.session.userId });
  sendJson(rc.res, 201, { id, success: true, errors: [] });
}

/** PATCH /sobjects/{Obj}/{id} with a multipart body: 204. */
export async function updateFromMultipart(
  rc: RestContext,
  store: OrgStore,
  objectName: string,
  id: string,
): Promise<void> {
  const fields = await uploadedFields(rc, store, objectName);
  store.update(objectName, id, fields, { userId: rc.session.userId });
  sendEmpty(rc.res, 204);
}

/** Bytes written out at a time when sending a blob, waiting for the socket to drain between them. */
const SEND_SLICE = 64 * 1024;

/** Sends blob bytes in slices with backpressure, as Salesforce streams a blob download. */
export async function sendBlob(res: ServerResponse, bytes: Buffer, contentType: string): Promise<void> {
  res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length });
  for (let at = 0; at < bytes.length; at += SEND_SLICE) {
    if (res.destroyed) return;
    if (!res.write(bytes.subarray(at, at + SEND_SLICE))) {
      await drained(res);
    }
  }
  res.end();
}
