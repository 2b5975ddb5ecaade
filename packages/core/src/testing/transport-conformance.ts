import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalesforceError } from '../errors.js';
import type { Transport } from '../transport.js';
import { type ConformanceServer, startConformanceServer } from './conformance-server.js';

const MB = 1024 * 1024;
/** Producer/consumer gap that proves streaming: far below the 50 MB moved, above socket buffers. */
const STREAMING_BOUND = 16 * MB;

async function settle(read: () => number): Promise<number> {
  // Waits until a counter stops moving (backpressure reached); bounded to a few seconds.
  let last = -1;
  let stable = 0;
  for (let i = 0; i < 200 && stable < 5; i++) {
    await new Promise((r) => setTimeout(r, 20));
    const now = read();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

async function until(check: () => boolean): Promise<void> {
  // Bounded by the test's timeout: whether it happens is checked, never how fast.
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * The suite every transport must pass (built-in or a plugin's): status passthrough, headers,
 * 50 MB streamed both ways without holding it in memory, aborts, timeouts, network failures,
 * connection reuse, a prompt `cancel()` of a body that never ends (socket released), and the
 * `bodyTimeoutMs` / `maxBodyBytes` limits of `text()` and `json()` (a transport that builds
 * its responses with `createTransportResponse` gets those for free). Call it inside a vitest
 * test file.
 *
 * @example
 * import { transportConformance } from '@sf/core/testing';
 * transportConformance('my transport', () => createMyTransport());
 */
export function transportConformance(
  name: string,
  makeTransport: () => Transport | Promise<Transport>,
): void {
  describe(`transport conformance: ${name}`, () => {
    let server: ConformanceServer;
    let transport: Transport;
    beforeAll(async () => {
      server = await startConformanceServer();
      transport = await makeTransport();
    });
    afterAll(async () => {
      await server.close();
    });

    it('passes every status through without rejecting, with lower-cased headers', async () => {
      for (const status of [200, 201, 204, 300, 400, 401, 404, 500, 503]) {
        const res = await transport({ method: 'GET', url: `${server.url}/status/${status}`, headers: {} });
        expect(res.status).toBe(status);
        expect(res.headers['x-custom']).toBe('yes');
        expect(res.headers['x-mixed-case']).toBe('Value');
        if (status === 204) expect(await res.text()).toBe('');
        else expect(await res.json()).toEqual({ status });
      }
    });

    it('sends method, headers and string or byte bodies', async () => {
      const res = await transport({
        method: 'POST',
        url: `${server.url}/echo`,
        headers: { 'content-type': 'text/plain', 'x-test': 'a b' },
        body: 'héllo',
      });
      const echoed = await res.json<{ method: string; headers: Record<string, string>; body: string }>();
      expect(echoed.method).toBe('POST');
      expect(echoed.headers['x-test']).toBe('a b');
      expect(echoed.body).toBe('héllo');
      const bytes = await transport({
        method: 'PUT',
        url: `${server.url}/echo`,
        headers: {},
        body: new TextEncoder().encode('bytes!'),
      });
      expect((await bytes.json<{ body: string }>()).body).toBe('bytes!');
    });

    it('lets a body be read once only, and cancel free it', async () => {
      const res = await transport({ method: 'GET', url: `${server.url}/status/200`, headers: {} });
      await res.text();
      expect(res.bodyUsed).toBe(true);
      await expect(res.text()).rejects.toBeInstanceOf(SalesforceError);
      const other = await transport({ method: 'GET', url: `${server.url}/status/200`, headers: {} });
      await other.cancel();
      await other.cancel();
    });

    it('streams a 50 MB upload without holding it in memory', async () => {
      const total = 50 * MB;
      let produced = 0;
      async function* source() {
        const chunk = new Uint8Array(64 * 1024).fill(0x62);
        while (produced < total) {
          produced += chunk.length;
          yield chunk;
        }
      }
      const pending = transport({
        method: 'POST',
        url: `${server.url}/upload?pause=1`,
        headers: {},
        body: source(),
      });
      const ahead = await settle(() => produced);
      expect(ahead).toBeGreaterThan(0);
      expect(ahead - server.state.uploadReceived).toBeLessThan(STREAMING_BOUND);
      server.resumeUpload();
      const res = await pending;
      expect(await res.json()).toMatchObject({ bytes: total });
    });

    it('streams a 50 MB download without holding it in memory', async () => {
      const total = 50 * MB;
      const res = await transport({
        method: 'GET',
        url: `${server.url}/download?bytes=${total}`,
        headers: {},
      });
      const iterator = res.body()[Symbol.asyncIterator]();
      let received = 0;
      const first = await iterator.next();
      received += first.value?.length ?? 0;
      const written = await settle(() => server.state.downloadWritten);
      expect(written - received).toBeLessThan(STREAMING_BOUND);
      for (;;) {
        const { done, value } = await iterator.next();
        if (done) break;
        received += value.length;
      }
      expect(received).toBe(total);
    });

    it('rejects with the caller’s abort reason, before the response and mid-body', async () => {
      const early = new AbortController();
      const reason = new Error('stop now');
      const pending = transport({
        method: 'GET',
        url: `${server.url}/slow-headers?ms=5000`,
        headers: {},
        signal: early.signal,
      });
      setTimeout(() => early.abort(reason), 50);
      await expect(pending).rejects.toBe(reason);

      const mid = new AbortController();
      const res = await transport({
        method: 'GET',
        url: `${server.url}/stall-body`,
        headers: {},
        signal: mid.signal,
      });
      const reading = res.text();
      setTimeout(() => mid.abort(reason), 50);
      await expect(reading).rejects.toBe(reason);

      const already = new AbortController();
      already.abort(reason);
      await expect(
        transport({ method: 'GET', url: `${server.url}/status/200`, headers: {}, signal: already.signal }),
      ).rejects.toBe(reason);
    });

    it('times out waiting for headers and waiting for body bytes', async () => {
      const headers = transport({
        method: 'GET',
        url: `${server.url}/slow-headers?ms=5000`,
        headers: {},
        timeoutMs: 200,
      });
      await expect(headers).rejects.toMatchObject({ code: 'TIMEOUT' });
      const res = await transport({
        method: 'GET',
        url: `${server.url}/stall-body`,
        headers: {},
        timeoutMs: 200,
      });
      await expect(res.text()).rejects.toMatchObject({ code: 'TIMEOUT' });
    });

    it('reports dropped and refused connections as NETWORK errors', async () => {
      await expect(
        transport({ method: 'GET', url: `${server.url}/reset`, headers: {} }),
      ).rejects.toMatchObject({
        code: 'NETWORK',
      });
      const port = await closedPort();
      const refused = transport({
        method: 'POST',
        url: `http://127.0.0.1:${port}/x`,
        headers: {},
        body: 'x',
      });
      await expect(refused).rejects.toMatchObject({ code: 'NETWORK', reachedServer: false });
    });

    it('cancel() of a body that never ends settles at once and releases the socket', async () => {
      const before = server.state.trickleClosed;
      const res = await transport({ method: 'GET', url: `${server.url}/trickle`, headers: {} });
      await res.cancel();
      await until(() => server.state.trickleClosed > before);
    });

    it('cancel() while text() waits for the next byte ends that read and releases the socket', async () => {
      const before = server.state.trickleClosed;
      const res = await transport({ method: 'GET', url: `${server.url}/trickle`, headers: {} });
      const reading = res.text().then(
        () => 'resolved',
        () => 'rejected',
      );
      await new Promise((r) => setTimeout(r, 50));
      await res.cancel();
      expect(['resolved', 'rejected']).toContain(await reading);
      await until(() => server.state.trickleClosed > before);
    });

    it('text() rejects TIMEOUT when the whole body misses bodyTimeoutMs, though bytes keep coming', async () => {
      const before = server.state.trickleClosed;
      const res = await transport({
        method: 'GET',
        url: `${server.url}/trickle?ms=50`,
        headers: {},
        timeoutMs: 5_000,
        bodyTimeoutMs: 300,
      });
      await expect(res.text()).rejects.toMatchObject({ code: 'TIMEOUT' });
      await until(() => server.state.trickleClosed > before);
      // With no bodyTimeoutMs, the deadline is 3 × timeoutMs.
      const defaulted = await transport({
        method: 'GET',
        url: `${server.url}/trickle?ms=50`,
        headers: {},
        timeoutMs: 150,
      });
      await expect(defaulted.json()).rejects.toMatchObject({ code: 'TIMEOUT' });
    });

    it('text() and json() reject MALFORMED_RESPONSE past maxBodyBytes, declared or chunked', async () => {
      for (const chunked of ['0', '1']) {
        const res = await transport({
          method: 'GET',
          url: `${server.url}/big?bytes=5000&chunked=${chunked}`,
          headers: {},
          maxBodyBytes: 1_000,
        });
        await expect(res.json()).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
      }
      const fits = await transport({
        method: 'GET',
        url: `${server.url}/big?bytes=998&chunked=1`,
        headers: {},
        maxBodyBytes: 1_000,
      });
      expect(await fits.json()).toHaveLength(998);
    });

    it('reuses keep-alive connections for sequential requests', async () => {
      const before = server.state.connections.length;
      // A pool may free a socket a tick after the body ends and open a second one meanwhile;
      // what matters is that sockets are reused, not opened per request.
      for (let i = 0; i < 20; i++) {
        const res = await transport({ method: 'GET', url: `${server.url}/status/200`, headers: {} });
        await res.json();
      }
      expect(server.state.connections.length - before).toBeLessThanOrEqual(2);
    });
  });
}
