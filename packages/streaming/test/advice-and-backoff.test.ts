// What the server advises is clamped before it steers timers (issue 11 item 17), and the
// reconnect backoff starts over after any successful exchange. Both run over HTTP against the
// emulator through a small proxy that rewrites or fails CometD answers, as a misbehaving server
// or a proxy would.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnection } from '@sf/core';
import type { Emulator } from '@sf/emulator';
import { platformEvent, publishEvent, subscribe } from '../src/index.js';
import { connect, emulatorPerTest, refreshingStrategy, until } from './helpers.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
const emulator = emulatorPerTest();

interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string | string[]>;
}
type Rewrite = (request: string, answer: Answer, cookie: string | undefined) => Answer;

/** A proxy to the emulator on 127.0.0.1 that lets `rewrite` change each CometD answer. */
async function proxy(emu: Emulator, rewrite: Rewrite): Promise<string> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = Buffer.concat(chunks).toString('utf8');
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'cookie']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    try {
      const upstream = await fetch(`${emu.url}${req.url}`, {
        method: req.method ?? 'GET',
        headers,
        ...(req.method === 'POST' ? { body: request } : {}),
      });
      let answer: Answer = { status: upstream.status, body: await upstream.text() };
      if (req.url?.startsWith('/cometd/')) answer = rewrite(request, answer, req.headers.cookie);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body);
    } catch {
      res.destroy();
    }
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('advice, backoff and cookies', () => {
  it('sends back the cookies the CometD server sets (Salesforce pins a client with sfdc-stream)', async () => {
    const emu = await emulator({ streaming: { platformEvents: [{ name: 'Tick__e' }] } });
    const seen: (string | undefined)[] = [];
    const url = await proxy(emu, (request, answer, cookie) => {
      seen.push(cookie);
      if (!request.includes('"/meta/handshake"')) return answer;
      return {
        ...answer,
        headers: {
          'set-cookie': [
            'sfdc-stream=!abc/def=; path=/; Expires=Sun, 24-Sep-2045 19:55:37 GMT; SameSite=None; Secure',
            'BAYEUX_BROWSER=xyz; Path=/',
            'gone=1; Max-Age=0',
          ],
        },
      };
    });
    const conn = createConnection({ instanceUrl: url, auth: emu.issueToken().accessToken });
    const sub = subscribe(conn, platformEvent('Tick__e'));
    await sub.ready();
    expect(seen[0]).toBeUndefined(); // the handshake, before any cookie
    expect(seen.slice(1)).not.toHaveLength(0);
    for (const cookie of seen.slice(1)) expect(cookie).toBe('sfdc-stream=!abc/def=; BAYEUX_BROWSER=xyz');
    await sub.unsubscribe();
  });

  it('a server advising timeout and interval 1e12 still connects, and events flow', async () => {
    const emu = await emulator({ streaming: { platformEvents: [{ name: 'Tick__e' }] } });
    // Every CometD answer's advice says `timeout: 1e12, interval: 1e12`.
    const url = await proxy(emu, (_request, answer) => {
      if (answer.status !== 200) return answer;
      const messages = JSON.parse(answer.body) as Array<{ advice?: Record<string, unknown> }>;
      for (const m of messages) if (m.advice) m.advice = { ...m.advice, timeout: 1e12, interval: 1e12 };
      return { status: 200, body: JSON.stringify(messages) };
    });
    const conn = createConnection({ instanceUrl: url, auth: emu.issueToken().accessToken });
    const sub = subscribe(conn, platformEvent('Tick__e'));
    const seen: number[] = [];
    const reasons: string[] = [];
    sub.on('message', (m) => seen.push(m.payload.N__c as number));
    sub.on('disconnect', (reason) => reasons.push(reason));
    await sub.ready();
    const publisher = connect(emu);
    await publishEvent(publisher, 'Tick__e', { N__c: 1 });
    await until(() => seen.length === 1, 30_000, 'the first event');
    // The second arrives on a later long-poll, after the (clamped) interval.
    await publishEvent(publisher, 'Tick__e', { N__c: 2 });
    await until(() => seen.length === 2, 30_000, 'the second event');
    expect(seen).toEqual([1, 2]);
    expect(reasons).toEqual([]); // no long-poll taken for stalled by an overflowing timer
    await sub.unsubscribe();
  }, 60_000);

  it('the backoff starts over after a successful handshake, so repeated long-poll failures retry quickly', async () => {
    const emu = await emulator({ streaming: { platformEvents: [{ name: 'Tick__e' }] } });
    let failConnects = 0;
    // Answers the next `failConnects` long-polls 503 (handshakes and subscribes still succeed).
    const url = await proxy(emu, (request, answer) => {
      if (failConnects === 0 || !request.includes('"/meta/connect"')) return answer;
      failConnects--;
      return { status: 503, body: '[{"errorCode":"SERVER_UNAVAILABLE","message":"busy"}]' };
    });
    const conn = createConnection({ instanceUrl: url, auth: emu.issueToken().accessToken });
    // Without the reset, six failures in a row would wait up to 1 + 2 + 4 + 8 + 16 + 30 s.
    const sub = subscribe(conn, platformEvent('Tick__e'), { backoff: { initialMs: 1_000, maxMs: 60_000 } });
    const seen: number[] = [];
    sub.on('message', (m) => seen.push(m.payload.N__c as number));
    await sub.ready();
    const publisher = connect(emu);
    await publishEvent(publisher, 'Tick__e', { N__c: 0 });
    await until(() => seen.length === 1, 20_000, 'the first event');

    failConnects = 6;
    await publishEvent(publisher, 'Tick__e', { N__c: 1 });
    // Each failure is followed by a successful handshake: every retry waits at most initialMs.
    await until(() => seen.length === 2 && failConnects === 0, 15_000, 'recovery after six failures');
    expect(seen).toEqual([0, 1]);
    await sub.unsubscribe();
  }, 60_000);

  it('a token refused right after another failure is renewed and the handshake sent at once, not after the backoff', async () => {
    const emu = await emulator({ streaming: { timeoutSeconds: 1, platformEvents: [{ name: 'Tick__e' }] } });
    const conn = connect(emu, refreshingStrategy(emu));
    // A backoff this long would outlast the test: recovering proves none was waited.
    const sub = subscribe(conn, platformEvent('Tick__e'), {
      backoff: { initialMs: 120_000, maxMs: 120_000 },
      stallMarginMs: 200,
    });
    const seen: number[] = [];
    const reasons: string[] = [];
    sub.on('message', (m) => seen.push(m.payload.N__c as number));
    sub.on('disconnect', (reason) => reasons.push(reason));
    await sub.ready();
    const publisher = connect(emu);
    await publishEvent(publisher, 'Tick__e', { N__c: 0 });
    await until(() => seen.length === 1, 20_000, 'the first event');

    // The next long-poll stalls (handshake again at once: the first failure), and the token
    // the new handshake carries has expired meanwhile (renew, and handshake again at once).
    emu.streaming.stallNextConnects(1);
    emu.faults.expireAllTokens();
    await until(() => reasons.includes('stalled long-poll'), 20_000, 'the stall');
    await publishEvent(publisher, 'Tick__e', { N__c: 1 });
    await until(() => seen.length === 2, 20_000, 'the event after the renewal');
    expect(seen).toEqual([0, 1]);
    await sub.unsubscribe();
  }, 60_000);
});
