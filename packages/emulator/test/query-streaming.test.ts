// REST query pages streamed as Salesforce sends them: chunked, the head of the JSON (totalSize,
// done, nextRecordsUrl) first, the records after, the bytes those of JSON.stringify. Read over a
// raw socket where the chunk framing is what is tested.
import { connect, type Socket } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.js';
import { api, useEmulator } from './helpers.js';

const emulator = useEmulator();
const soql = 'SELECT Id, Name, BillingCity, Description FROM Account ORDER BY Name';
const path = (text: string) => `/services/data/v64.0/query?q=${encodeURIComponent(text)}`;

/** A GET over a raw socket, its chunked body's chunks collected one by one as they arrive. */
class RawResponse {
  readonly socket: Socket;
  head = '';
  readonly chunks: string[] = [];
  ended = false;
  #buffer = Buffer.alloc(0);
  #inBody = false;
  #waiters: Array<() => void> = [];

  constructor(emu: Emulator, target: string, token: string) {
    const { port } = new URL(emu.url);
    this.socket = connect(Number(port), '127.0.0.1');
    this.socket.write(
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
    );
    this.socket.on('data', (data: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, data]);
      this.#parse();
    });
    this.socket.on('close', () => this.#wake());
    this.socket.on('error', () => this.#wake());
  }

  /** Resolves once `n` chunks have arrived (or the connection has closed). */
  async chunksArrived(n: number): Promise<void> {
    while (this.chunks.length < n && !this.ended && !this.socket.destroyed) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Resolves once the last chunk has arrived or the connection has closed. */
  async finished(): Promise<void> {
    while (!this.ended && !this.socket.destroyed) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  #parse(): void {
    if (!this.#inBody) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      this.head = this.#buffer.subarray(0, end).toString('latin1');
      this.#buffer = this.#buffer.subarray(end + 4);
      this.#inBody = true;
    }
    for (;;) {
      const line = this.#buffer.indexOf('\r\n');
      if (line < 0) break;
      const size = Number.parseInt(this.#buffer.subarray(0, line).toString('latin1'), 16);
      if (this.#buffer.length < line + 2 + size + 2) break;
      if (size === 0) {
        this.ended = true;
        break;
      }
      this.chunks.push(this.#buffer.subarray(line + 2, line + 2 + size).toString('utf8'));
      this.#buffer = this.#buffer.subarray(line + 2 + size + 2);
    }
    this.#wake();
  }
}

describe('streamed query pages', () => {
  beforeAll(() => {
    const emu = emulator();
    for (let i = 0; i < 2500; i++) {
      emu.store.insert('Account', {
        Name: `S${String(i).padStart(4, '0')}`,
        BillingCity: i % 3 === 0 ? 'Zürich "Nord"' : null,
        Description: `línea ${i}\n${'x'.repeat(i % 50)} \u2028 😀`,
      });
    }
  });

  it('sends a page chunked, its body exactly JSON.stringify of { totalSize, done, nextRecordsUrl, records }', async () => {
    const emu = emulator();
    const first = await api(emu, 'GET', path(soql));
    expect(first.status).toBe(200);
    expect(first.headers.get('transfer-encoding')).toBe('chunked');
    expect(first.headers.get('content-length')).toBeNull();
    expect(first.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    // The keys in Salesforce's order, and no byte that JSON.stringify would not write.
    expect(Object.keys(first.body)).toEqual(['totalSize', 'done', 'nextRecordsUrl', 'records']);
    const { totalSize, done, nextRecordsUrl, records } = first.body;
    expect(first.text).toBe(JSON.stringify({ totalSize, done, nextRecordsUrl, records }));
    expect(records).toHaveLength(2000);
    expect(records[0].Name).toBe('S0000');
    expect(records[1999].Name).toBe('S1999');
    // The cursor page (the last: no nextRecordsUrl) is written the same way.
    const last = await api(emu, 'GET', nextRecordsUrl);
    expect(Object.keys(last.body)).toEqual(['totalSize', 'done', 'records']);
    expect(last.text).toBe(JSON.stringify({ totalSize: 2500, done: true, records: last.body.records }));
    expect(last.body.records).toHaveLength(500);
    expect(last.body.records[499].Name).toBe('S2499');
    // An empty result, queryAll and a single record are complete JSON too.
    const none = await api(emu, 'GET', path("SELECT Id FROM Account WHERE Name = 'nobody'"));
    expect(none.text).toBe('{"totalSize":0,"done":true,"records":[]}');
    const one = await api(
      emu,
      'GET',
      `/services/data/v64.0/queryAll?q=${encodeURIComponent("SELECT Name FROM Account WHERE Name = 'S0001'")}`,
    );
    expect(one.text).toBe(JSON.stringify({ totalSize: 1, done: true, records: one.body.records }));
    expect(one.body.records[0].Name).toBe('S0001');
  });

  it('sends the head with nextRecordsUrl as a chunk of its own, before any record', async () => {
    const emu = emulator();
    const res = new RawResponse(emu, path(soql), emu.issueToken().accessToken);
    await res.chunksArrived(1);
    expect(res.head).toMatch(/^HTTP\/1\.1 200/);
    expect(res.head.toLowerCase()).toContain('transfer-encoding: chunked');
    // The first chunk is the head alone: the next page can be asked for before a record arrives.
    expect(res.chunks[0]).toMatch(
      /^\{"totalSize":2500,"done":false,"nextRecordsUrl":"\/services\/data\/v64\.0\/query\/01g[A-Za-z0-9]{15}-2000","records":\[$/,
    );
    const next = JSON.parse(`${res.chunks[0]}]}`).nextRecordsUrl as string;
    // The next page is served while this one is still being read.
    const second = await api(emu, 'GET', next);
    expect(second.body.records[0].Name).toBe('S2000');
    await res.finished();
    const whole = JSON.parse(res.chunks.join(''));
    expect(whole.records).toHaveLength(2000);
    // Records come in several chunks, not one.
    expect(res.chunks.length).toBeGreaterThan(2);
  });

  it('waits for a client that stops reading (backpressure), serving its next page meanwhile', async () => {
    const emu = emulator();
    // 2,000 records of 20 KB: a 40 MB page, more than the kernel's socket buffers hold.
    for (let i = 0; i < 2100; i++) {
      emu.store.insert('Contact', {
        LastName: `C${String(i).padStart(4, '0')}`,
        Description: `${i} ${'d'.repeat(20000)}`,
      });
    }
    const big = 'SELECT Id, LastName, Description FROM Contact ORDER BY LastName';
    const res = new RawResponse(emu, path(big), emu.issueToken().accessToken);
    await res.chunksArrived(1);
    res.socket.pause();
    const next = JSON.parse(`${res.chunks[0]}]}`).nextRecordsUrl as string;
    // The first page cannot be finished while its client does not read; the next one is served.
    const second = await api(emu, 'GET', next);
    expect(second.body.records.map((r: { LastName: string }) => r.LastName)).toEqual(
      Array.from({ length: 100 }, (_, i) => `C${2000 + i}`),
    );
    expect(res.ended).toBe(false);
    res.socket.resume();
    await res.finished();
    expect(res.ended).toBe(true);
    const text = res.chunks.join('');
    const page = JSON.parse(text);
    expect(text).toBe(JSON.stringify(page));
    expect(page.records).toHaveLength(2000);
    expect(page.records[1999]).toMatchObject({ LastName: 'C1999', Description: `1999 ${'d'.repeat(20000)}` });
  });

  it('keeps serving when a client drops in the middle of a page', async () => {
    const emu = emulator();
    const token = emu.issueToken().accessToken;
    for (let i = 0; i < 3; i++) {
      const res = new RawResponse(emu, path(soql), token);
      await res.chunksArrived(1);
      // Stop reading, then go away mid-body: the emulator must stop writing, not crash.
      res.socket.pause();
      res.socket.destroy();
    }
    const after = await api(emu, 'GET', path(soql));
    expect(after.status).toBe(200);
    expect(after.body.records).toHaveLength(2000);
  });

  it('still answers errors before the first byte as an error array, and applies faults to query pages', async () => {
    const emu = emulator();
    const bad = await api(emu, 'GET', path('SELECT Nope__c FROM Account'));
    expect(bad.status).toBe(400);
    expect(bad.body[0].errorCode).toBe('INVALID_FIELD');
    emu.faults.failNext(1, 'reset-mid-body', { path: '/services/data/v64.0/query' });
    await expect(api(emu, 'GET', path(soql))).rejects.toThrow();
    emu.faults.failNext(1, { status: 503 }, { path: '/services/data/v64.0/query' });
    const unavailable = await api(emu, 'GET', path(soql));
    expect(unavailable.status).toBe(503);
    expect(unavailable.body[0].errorCode).toBe('SERVER_UNAVAILABLE');
  });
});
