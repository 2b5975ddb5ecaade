// Blob fields (Attachment.Body, Document.Body, ContentVersion.VersionData) streamed both ways:
// downloads hand on the response's bytes as they arrive; uploads are multipart bodies generated
// while they are sent. Neither side ever holds the whole blob.

import { refuseOldArguments } from '@sf/core';
import { salesforceError } from '@sf/core';
import { randomBytes } from 'node:crypto';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Connection } from '@sf/core';
import { callOptions, SOURCE } from './errors.js';
import { checkApiName, checkRecordId } from './path-segments.js';
import type { CallOptions, SaveSuccess } from './types.js';

const DEFAULT_FIELDS: Record<string, string> = {
  attachment: 'Body',
  document: 'Body',
  contentversion: 'VersionData',
};

/** The blob field of a type: `Body` for Attachment and Document, `VersionData` for ContentVersion. */
export function blobFieldOf(type: string, field?: string): string {
  checkApiName(type, 'an sObject type name');
  const name = field ?? DEFAULT_FIELDS[type.toLowerCase()];
  if (!name)
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `${type} has no default blob field: name the field`);
  return checkApiName(name, 'a blob field name');
}

export interface BlobOptions extends CallOptions {
  /** The blob field; `Body` or `VersionData` by type when not given. */
  field?: string;
}

/**
 * The bytes of a blob field, streamed as they arrive. Read it to the end or stop early (both
 * release the connection).
 *
 * @example
 * for await (const chunk of await openBlob(conn, 'Attachment', attId)) hash.update(chunk);
 */
export async function openBlob(
  conn: Connection,
  type: string,
  id: string,
  options: BlobOptions = {},
): Promise<AsyncIterable<Uint8Array>> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'openBlob()', arguments);
  const field = blobFieldOf(type, options.field);
  const res = await conn.requestRaw({
    method: 'GET',
    path: `sobjects/${type}/${checkRecordId(id)}/${field}`,
    headers: { accept: '*/*' },
    ...callOptions(options),
  });
  return res.body();
}

/**
 * A readable stream of a blob, ready to pipe as nforce's `getAttachmentBody(...).pipe(res)`.
 * The request starts when the stream is first read; failures arrive as the stream's `error`.
 *
 * @example
 * blobStream(conn, 'Attachment', attId).pipe(res);
 */
export function blobStream(conn: Connection, type: string, id: string, options: BlobOptions = {}): Readable {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'blobStream()', arguments);
  return Readable.from(
    (async function* () {
      yield* await openBlob(conn, type, id, options);
    })(),
    { objectMode: false },
  );
}

/**
 * Streams a blob into any writable (a file, an HTTP response) with backpressure; resolves with
 * the number of bytes once the writable has finished.
 *
 * @example
 * await pipeBlob(conn, 'ContentVersion', versionId, createWriteStream('report.pdf'));
 */
export async function pipeBlob(
  conn: Connection,
  type: string,
  id: string,
  destination: Writable | NodeJS.WritableStream,
  options: BlobOptions = {},
): Promise<number> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'pipeBlob()', arguments);
  const body = await openBlob(conn, type, id, options);
  let bytes = 0;
  const counted = (async function* () {
    for await (const chunk of body) {
      bytes += chunk.length;
      yield chunk;
    }
  })();
  await pipeline(Readable.from(counted, { objectMode: false }), destination, {
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return bytes;
}

/** What an upload's bytes may be. */
export type BlobData = Uint8Array | string | AsyncIterable<Uint8Array | string>;

export interface UploadOptions extends BlobOptions {
  /** Replace the blob of this record (PATCH) instead of creating one. */
  id?: string;
  /** File name of the binary part. Default `file`. */
  fileName?: string;
  /** Content type of the binary part. Default `application/octet-stream`. */
  contentType?: string;
}

const encoder = new TextEncoder();

function entityPartName(type: string): string {
  return `entity_${type.toLowerCase() === 'contentversion' ? 'content' : type.toLowerCase()}`;
}

function quoteName(name: string): string {
  return name.replace(/["\r\n]/g, '_');
}

async function* multipart(
  boundary: string,
  entityName: string,
  fields: Record<string, unknown>,
  field: string,
  fileName: string,
  contentType: string,
  data: BlobData,
): AsyncGenerator<Uint8Array> {
  yield encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="${entityName}"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(fields)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="${quoteName(field)}"; filename="${quoteName(fileName)}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  if (typeof data === 'string') yield encoder.encode(data);
  else if (data instanceof Uint8Array) yield data;
  else for await (const chunk of data) yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
  yield encoder.encode(`\r\n--${boundary}--\r\n`);
}

/**
 * Creates a record with a blob (or replaces a record's blob with `id`) by multipart upload.
 * `data` may be bytes, text, or any async iterable of bytes such as `fs.createReadStream(...)`:
 * it is read while the request is sent, never gathered whole.
 *
 * @example
 * await uploadBlob(conn, 'ContentVersion', { Title: 'Q3', PathOnClient: 'q3.pdf' }, createReadStream('q3.pdf'), { fileName: 'q3.pdf', contentType: 'application/pdf' });
 */
export async function uploadBlob(
  conn: Connection,
  type: string,
  fields: Record<string, unknown>,
  data: BlobData,
  options: UploadOptions = {},
): Promise<SaveSuccess> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'uploadBlob()', arguments, { data: [2] }); // the fields are a record
  if (
    !(
      typeof data === 'string' ||
      data instanceof Uint8Array ||
      (data && Symbol.asyncIterator in Object(data))
    )
  ) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      'upload data must be bytes, a string, or an async iterable of bytes (a readable stream)',
    );
  }
  const field = blobFieldOf(type, options.field);
  const boundary = `----sf-sobject-${randomBytes(16).toString('hex')}`;
  const { attributes: _attributes, Id: _id, ...entity } = fields;
  const body = multipart(
    boundary,
    entityPartName(type),
    entity,
    field,
    options.fileName ?? 'file',
    options.contentType ?? 'application/octet-stream',
    data,
  );
  const path = `sobjects/${type}${options.id === undefined ? '' : `/${checkRecordId(options.id)}`}`;
  const result = await conn.request<{ id: string; success: boolean; errors: unknown[] } | undefined>({
    method: options.id ? 'PATCH' : 'POST',
    path,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
    idempotent: false,
    ...callOptions(options),
  });
  const id = result?.id ?? options.id;
  if (typeof id !== 'string') {
    throw salesforceError(
      SOURCE,
      'MALFORMED_RESPONSE',
      `the upload of a ${type} was answered without the new record's id`,
    );
  }
  return { id, success: true, errors: [] };
}
