// The identity service answers failures with one word of plain text. The version and callback
// errors are taken in both spellings seen for them (Bad_Version / Invalid_Version,
// Bad_Callback / Invalid_Callback); any other plain body is not taken for a code.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUndiciTransport, errorFromResponse } from '@sf/core';

let server: Server;
let url: string;

beforeAll(async () => {
  // The word comes in a header, so the request URL (which error messages show) never holds it.
  server = createServer((req, res) => {
    res.writeHead(406, { 'content-type': 'text/plain' }).end(String(req.headers['x-word']));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function errorFor(word: string) {
  const req = { method: 'GET', url: `${url}/id/00D/005`, headers: { 'x-word': word } };
  return errorFromResponse(await createUndiciTransport()(req), req);
}

describe("the identity service's one-word answers", () => {
  it('reads both spellings of the version and callback errors as the errorCode', async () => {
    for (const word of ['Bad_Version', 'Invalid_Version', 'Bad_Callback', 'Invalid_Callback']) {
      expect(await errorFor(word), word).toMatchObject({ status: 406, errorCode: word });
    }
  });

  it('takes no other plain word for a code, and does not quote it', async () => {
    const err = await errorFor('Some_Other_Word');
    expect(err.errorCode).toBeUndefined();
    expect(err.message).not.toContain('Some_Other_Word');
  });
});
