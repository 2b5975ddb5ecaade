import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createConnection,
  createFetchTransport,
  createUndiciTransport,
  errorFromResponse,
  readBodyText,
  SalesforceError,
  type Transport,
} from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A server that misbehaves as no emulator can: headers at once, then one byte every 300 ms,
 * for ever (or a body far larger than anyone should buffer). Records when each socket closes.
 */
interface Trickle {
  url: string;
  /** Sockets whose responses were trickling and are now closed. */
  closed: number;
  /** Sockets open right now. */
  open: number;
  close(): Promise<void>;
}

async function startTrickle(): Promise<Trickle> {
  const state = { closed: 0, open: 0 };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const status = Number(url.searchParams.get('status') ?? '200');
    if (url.pathname === '/big') {
      // Declares its size, or is chunked, as Salesforce's own responses may be.
      const size = Number(url.searchParams.get('bytes') ?? '0');
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (url.searchParams.get('chunked') !== '1') headers['content-length'] = String(size + 2);
      res.writeHead(status, headers);
      res.end(`"${'a'.repeat(size)}"`);
      return;
    }
    trickle(res, status);
  });
  function trickle(res: ServerResponse, status: number) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.write('[');
    const timer = setInterval(() => res.write(' '), 300);
    res.on('close', () => {
      clearInterval(timer);
      state.closed++;
    });
  }
  server.on('connection', (socket) => {
    state.open++;
    socket.on('close', () => state.open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get closed() {
      return state.closed;
    },
    get open() {
      return state.open;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function until(check: () => boolean): Promise<void> {
  // Bounded by the test's own timeout: no timing is asserted, only that it happens.
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

let server: Trickle;
beforeAll(async () => {
  server = await startTrickle();
});
afterAll(() => server.close());

const transports: Array<[string, () => Transport]> = [
  ['undici', () => createUndiciTransport()],
  ['fetch', () => createFetchTransport(fetch)],
];

describe.each(transports)('a body that never ends (%s transport)', (_name, make) => {
  const connect = () =>
    createConnection({ instanceUrl: server.url, transport: make(), timeoutMs: 1000, retry: false });

  it('request() of a 200 rejects TIMEOUT at the overall body deadline (3 × timeoutMs)', async () => {
    const before = server.closed;
    const err = await connect()
      .request('/trickle')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SalesforceError);
    expect(err).toMatchObject({ code: 'TIMEOUT', status: 200 });
    expect((err as Error).message).toMatch(/3000 ms/);
    // The socket is released, not left trickling.
    await until(() => server.closed > before);
  });

  it('request() of a 503 rejects TIMEOUT too, keeping the status', async () => {
    const err = await connect()
      .request('/trickle?status=503')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TIMEOUT', status: 503 });
  });

  it('request() of a 503 with retries: each cancel() is prompt, the last answer times out', async () => {
    const conn = createConnection({
      instanceUrl: server.url,
      transport: make(),
      timeoutMs: 1000,
      bodyTimeoutMs: 500,
      retry: { retries: 2, backoff: { initialMs: 1, maxMs: 2 } },
    });
    await expect(conn.request('/trickle?status=503')).rejects.toMatchObject({ code: 'TIMEOUT', status: 503 });
  });

  it('requestRaw() then cancel() settles without waiting for the end, and frees the socket', async () => {
    const before = server.closed;
    const res = await connect().requestRaw({ path: '/trickle' });
    await res.cancel();
    await until(() => server.closed > before);
  });

  it('cancel() while text() is waiting for bytes ends the read at once', async () => {
    const before = server.closed;
    const res = await connect().requestRaw({ path: '/trickle', bodyTimeoutMs: 600_000 });
    const reading = res.text().catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await res.cancel();
    await reading; // settles (resolves or rejects): it must not hang
    await until(() => server.closed > before);
  });

  it('a per-request bodyTimeoutMs overrides the default', async () => {
    const err = await connect()
      .request({ path: '/trickle', bodyTimeoutMs: 500 })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TIMEOUT' });
    expect((err as Error).message).toMatch(/500 ms/);
  });
});

describe.each(transports)('bodies over the size limit (%s transport)', (_name, make) => {
  it('request() rejects MALFORMED_RESPONSE for a body over maxBodyBytes, declared or chunked', async () => {
    const conn = createConnection({ instanceUrl: server.url, transport: make(), maxBodyBytes: 1000 });
    for (const chunked of ['0', '1']) {
      const err = await conn.request(`/big?bytes=5000&chunked=${chunked}`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SalesforceError);
      expect(err).toMatchObject({ code: 'MALFORMED_RESPONSE', status: 200 });
      expect((err as Error).message).toMatch(/1000 bytes/);
    }
    // Just under the limit is fine.
    await expect(conn.request('/big?bytes=990')).resolves.toHaveLength(990);
  });

  it('an error body over maxErrorBodyBytes rejects MALFORMED_RESPONSE with the status', async () => {
    const conn = createConnection({
      instanceUrl: server.url,
      transport: make(),
      maxErrorBodyBytes: 1000,
      retry: false,
    });
    const err = await conn.request('/big?bytes=5000&chunked=1&status=500').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MALFORMED_RESPONSE', status: 500 });
  });

  it('text() and json() on the transport response obey maxBodyBytes and bodyTimeoutMs', async () => {
    const transport = make();
    const big = await transport({
      method: 'GET',
      url: `${server.url}/big?bytes=5000&chunked=1`,
      headers: {},
      maxBodyBytes: 1000,
    });
    await expect(big.json()).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
    const slow = await transport({
      method: 'GET',
      url: `${server.url}/trickle`,
      headers: {},
      timeoutMs: 1000,
      bodyTimeoutMs: 500,
    });
    await expect(slow.text()).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});

describe('helpers other packages read bodies with', () => {
  it('readBodyText applies the request’s limits to any transport response (token responses)', async () => {
    const transport = createUndiciTransport();
    const req = {
      method: 'POST',
      url: `${server.url}/trickle`,
      headers: {},
      timeoutMs: 1000,
      bodyTimeoutMs: 400,
    };
    const res = await transport(req);
    await expect(readBodyText(res, req, { source: '@sf/auth' })).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringMatching(/^\[@sf\/auth\]/),
    });
    const bigReq = { method: 'POST', url: `${server.url}/big?bytes=5000`, headers: {} };
    const big = await transport(bigReq);
    await expect(readBodyText(big, bigReq, { maxBytes: 100 })).rejects.toMatchObject({
      code: 'MALFORMED_RESPONSE',
    });
  });

  it('errorFromResponse gives up on a never-ending error body at the deadline', async () => {
    const transport = createUndiciTransport();
    const req = { method: 'GET', url: `${server.url}/trickle?status=500`, headers: {}, timeoutMs: 200 };
    const res = await transport(req);
    const err = await errorFromResponse(res, req);
    expect(err).toMatchObject({ code: 'TIMEOUT', status: 500 });
  });
});
