// A token or SOAP response whose body starts and never ends must not hang a login: @sf/auth reads
// those bodies through core's readBodyText, with its deadline (3 × timeoutMs) and size limit.
// Against a small local server, since the emulator always ends its bodies.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOAuth2Client, soapLogin } from '@sf/auth';
import { isSalesforceError } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: Server;
let url: string;
beforeAll(async () => {
  // Answers 200 with the first bytes of a body, then nothing more, ever.
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    if (body.includes('username=big')) {
      // A well-formed token answer of 2 MiB: more than a token response may be (1 MiB).
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: 'x'.repeat(2 << 20), instance_url: 'https://x.example' }));
      return;
    }
    const soap = req.url?.includes('/services/Soap');
    res.writeHead(200, { 'content-type': soap ? 'text/xml' : 'application/json' });
    res.write(soap ? '<?xml version="1.0"?><soapenv:Envelope' : '{"access_token":"');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('a token body that never ends', () => {
  it('password(): rejects TIMEOUT within the body deadline instead of waiting forever', async () => {
    const client = createOAuth2Client({ clientId: 'id', clientSecret: 'secret', loginUrl: url });
    const error = await failure(() => client.password({ username: 'u', password: 'p' }, { timeoutMs: 100 }));
    expect(isSalesforceError(error, 'TIMEOUT')).toBe(true);
    expect((error as Error).message).toMatch(/^\[@sf\/auth\] /);
  }, 10_000);

  it('soapLogin(): rejects TIMEOUT the same way', async () => {
    const error = await failure(() =>
      soapLogin({ username: 'u', password: 'p', loginUrl: url, timeoutMs: 100 }),
    );
    expect(isSalesforceError(error, 'TIMEOUT')).toBe(true);
  }, 10_000);
});

describe('a token body larger than the limit', () => {
  it('password(): rejects MALFORMED_RESPONSE instead of buffering it whole (1 MiB, maxErrorBodyBytes)', async () => {
    const client = createOAuth2Client({ clientId: 'id', clientSecret: 'secret', loginUrl: url });
    const error = await failure(() => client.password({ username: 'big', password: 'p' }));
    expect(isSalesforceError(error, 'MALFORMED_RESPONSE')).toBe(true);
  });
});
