// Blob examples (nforce getAttachmentBody / getDocumentBody / getContentVersionBody, piped) and
// multipart uploads, binary-safe and streamed.

import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { blobStream, openBlob, pipeBlob, sobject, uploadBlob } from '../src/index.js';
import { useOrg } from './helpers.js';

/** Every byte value, plus text that looks like a multipart boundary. */
function awkwardBytes(): Buffer {
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  return Buffer.concat([all, Buffer.from('\r\n--boundary\r\n\r\n--'), all, Buffer.from('\r\n')]);
}

async function collect(iterable: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of iterable) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('blobs', () => {
  const org = useOrg();

  it('nforce: getAttachmentBody({ id }).pipe(res) in an http server', async () => {
    const { emu, conn } = org();
    const parentId = emu.store.insert('Account', { Name: 'Has attachment' });
    const bytes = awkwardBytes();
    const attId = emu.store.insert('Attachment', {
      Name: 'image.png',
      ParentId: parentId,
      ContentType: 'image/png',
      Body: bytes.toString('base64'),
    });
    const server = createServer((req, res) => {
      if (req.url === '/myimage') {
        blobStream(conn, 'Attachment', attId).pipe(res);
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/myimage`);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('nforce: getDocumentBody / getContentVersionBody through openBlob and record(id).blob()', async () => {
    const { emu, conn } = org();
    const folderId = emu.store.insert('Folder', { Name: 'Docs', Type: 'Document' });
    const doc = await uploadBlob(conn, 'Document', { Name: 'doc.bin', FolderId: folderId }, awkwardBytes(), {
      fileName: 'doc.bin',
    });
    expect((await collect(await openBlob(conn, 'Document', doc.id as string))).equals(awkwardBytes())).toBe(
      true,
    );
    const ContentVersion = sobject(conn, 'ContentVersion');
    const cv = await ContentVersion.uploadBlob(
      { Title: 'notes', PathOnClient: 'notes.txt' },
      'plain text ✓',
      {
        contentType: 'text/plain',
      },
    );
    expect((await collect(await ContentVersion.record(cv.id as string).blob())).toString('utf8')).toBe(
      'plain text ✓',
    );
    const row = emu.store.get('ContentVersion', cv.id as string);
    expect(row?.ContentSize).toBe(Buffer.byteLength('plain text ✓'));
  });

  it('upload from a readable stream, and replace a document body with options.id', async () => {
    const { emu, conn } = org();
    const folderId = emu.store.insert('Folder', { Name: 'More docs', Type: 'Document' });
    const source = Readable.from([Buffer.from('part one, '), Buffer.from('part two')]);
    const doc = await uploadBlob(conn, 'Document', { Name: 'streamed.txt', FolderId: folderId }, source);
    await uploadBlob(conn, 'Document', {}, Buffer.from('replaced'), { id: doc.id as string });
    expect((await collect(await openBlob(conn, 'Document', doc.id as string))).toString()).toBe('replaced');
  });

  it('a missing blob rejects with NOT_FOUND', async () => {
    const { emu, conn } = org();
    const notAnAttachment = emu.store.insert('Account', { Name: 'No blob here' });
    await expect(openBlob(conn, 'Attachment', notAnAttachment)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('50 MB up and down: streamed in chunks, never gathered whole on the client', async () => {
    const { emu, conn } = org();
    const CHUNK = 64 * 1024;
    const COUNT = 800; // 50 MiB
    const sent = createHash('sha256');
    let serverSawRequestWhileProducing = false;
    emu.resetRequests();
    // Chunks are made on demand; at the halfway mark the upload must already be in progress on
    // the server, which is only possible if the body is sent while it is being produced.
    async function* produce(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < COUNT; i++) {
        if (i === COUNT / 2) {
          serverSawRequestWhileProducing = emu.requests.some(
            (r) => r.method === 'POST' && r.path.endsWith('/sobjects/ContentVersion') && r.status === 0,
          );
        }
        const chunk = Buffer.alloc(CHUNK, i % 251);
        chunk[0] = 13;
        chunk[1] = 10;
        sent.update(chunk);
        yield chunk;
      }
    }
    const cv = await uploadBlob(conn, 'ContentVersion', { Title: 'big', PathOnClient: 'big.bin' }, produce());
    expect(serverSawRequestWhileProducing).toBe(true);

    const received = createHash('sha256');
    let chunks = 0;
    let largest = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks += 1;
        largest = Math.max(largest, chunk.length);
        received.update(chunk);
        callback();
      },
    });
    const bytes = await pipeBlob(conn, 'ContentVersion', cv.id as string, sink);
    expect(bytes).toBe(CHUNK * COUNT);
    expect(received.digest('hex')).toBe(sent.digest('hex'));
    // Many small chunks: the download was handed on as it arrived, not as one buffer.
    expect(chunks).toBeGreaterThan(50);
    expect(largest).toBeLessThanOrEqual(4 * 1024 * 1024);
  });
});
