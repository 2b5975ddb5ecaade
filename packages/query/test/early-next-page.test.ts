// A query page's `nextRecordsUrl` comes before its `records`: the next page is requested as soon
// as the first bytes of the body name it, while the rest of the page is still arriving. When
// the head does not name it, or names another URL than the whole page does, the page's own
// parsed `nextRecordsUrl` is followed; a page whose body turns out malformed still rejects.
// Against a small local server that sends each page in two parts and notes what it was asked.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Connection, createConnection, isSalesforceError } from '@sf/core';
import { afterEach, describe, expect, it } from 'vitest';
import { query } from '../src/index.js';

const Q = '/services/data/v64.0/query';

interface Part {
  /** Sent at once. */
  head: string;
  /**
   * Sent when the next page has been asked for, if the head names one; at once otherwise (the
   * last page, or a page whose nextRecordsUrl comes after its records).
   */
  rest: string;
}

let server: Server | undefined;
afterEach(async () => {
  // A page request dropped mid-body leaves its response waiting: close its connection now.
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Serves `pages` (page 0 for the query, page n for `${Q}/L-n`); `log` lists what happened, in order. */
async function fakeOrg(pages: Part[]): Promise<{ conn: Connection; log: string[] }> {
  const log: string[] = [];
  const waiting = new Map<number, () => void>();
  const http = createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const index = url.pathname === Q ? 0 : Number(/\/L-(\d+)$/.exec(url.pathname)?.[1] ?? -1);
    const page = pages[index];
    if (!page) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('[{"errorCode":"NOT_FOUND","message":"no such page"}]');
      return;
    }
    log.push(`asked ${index}`);
    waiting.get(index - 1)?.();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(page.head);
    let fallback: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(fallback);
      if (res.writableEnded) return;
      waiting.delete(index);
      log.push(`ended ${index}`);
      res.end(page.rest);
    };
    // The rest waits for the request the head makes possible, however slow the machine: no
    // correct client depends on a timer. One that never asks early gets it after 10 s (so the
    // log's order, not the test timeout, says what went wrong).
    if (/"nextRecordsUrl"/.test(page.head)) {
      waiting.set(index, finish);
      fallback = setTimeout(finish, 10_000);
    } else finish();
  });
  server = http;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    conn: createConnection({ instanceUrl: base, auth: 'token', retry: false, apiVersion: '64.0' }),
    log,
  };
}

const records = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({ attributes: { type: 'Account' }, Name: `A${from + i}` }),
  ).join(',');

/** A page as Salesforce writes it: totalSize, done, nextRecordsUrl, then records. */
function page(index: number, last: number, perPage = 3): Part {
  const next = index < last ? `,"nextRecordsUrl":"${Q}/L-${index + 1}"` : '';
  return {
    head: `{"totalSize":${(last + 1) * perPage},"done":${index === last}${next},"records":[`,
    rest: `${records(index * perPage, perPage)}]}`,
  };
}

async function names(conn: Connection): Promise<{ got: unknown[]; error: unknown }> {
  const got: unknown[] = [];
  try {
    for await (const r of query<{ Name: string }>(conn, 'SELECT Name FROM Account')) got.push(r.Name);
    return { got, error: undefined };
  } catch (error) {
    return { got, error };
  }
}

describe('REST query: the next page is requested from the head of the page before it', () => {
  it('asks for page n+1 while page n is still arriving, and reads every record in order', async () => {
    const { conn, log } = await fakeOrg([page(0, 2), page(1, 2), page(2, 2)]);
    const { got, error } = await names(conn);
    expect(error).toBeUndefined();
    expect(got).toEqual(['A0', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8']);
    // What must happen: each next page was asked for before the page naming it had ended.
    expect(log.indexOf('asked 1')).toBeLessThan(log.indexOf('ended 0'));
    expect(log.indexOf('asked 2')).toBeLessThan(log.indexOf('ended 1'));
  });

  it('falls back to the parsed page when nextRecordsUrl is not at the head', async () => {
    const tail = (index: number, last: number): Part => ({
      head: `{"records":[${records(index * 3, 3)}],`,
      rest: `"totalSize":${(last + 1) * 3},"done":${index === last}${index < last ? `,"nextRecordsUrl":"${Q}/L-${index + 1}"` : ''}}`,
    });
    const { conn, log } = await fakeOrg([tail(0, 1), tail(1, 1)]);
    const { got, error } = await names(conn);
    expect(error).toBeUndefined();
    expect(got).toEqual(['A0', 'A1', 'A2', 'A3', 'A4', 'A5']);
    expect(log).toEqual(['asked 0', 'ended 0', 'asked 1', 'ended 1']);
  });

  it('follows the whole page when its head named another URL (the request from the head is dropped)', async () => {
    // JSON keeps the last of two equal keys: the page's nextRecordsUrl is L-2, not the head's L-1.
    const first: Part = {
      head: `{"totalSize":6,"done":false,"nextRecordsUrl":"${Q}/L-1","records":[`,
      rest: `${records(0, 3)}],"nextRecordsUrl":"${Q}/L-2"}`,
    };
    const { conn, log } = await fakeOrg([first, page(1, 2), page(2, 2)]);
    const { got, error } = await names(conn);
    expect(error).toBeUndefined();
    expect(got).toEqual(['A0', 'A1', 'A2', 'A6', 'A7', 'A8']);
    expect(log).toContain('asked 2');
  });

  it('a page whose body turns out malformed rejects MALFORMED_RESPONSE, though its head named the next', async () => {
    const broken: Part = { head: page(0, 1).head, rest: `${records(0, 3)},{"Name":` };
    const { conn } = await fakeOrg([broken, page(1, 1)]);
    const { got, error } = await names(conn);
    expect(isSalesforceError(error, 'MALFORMED_RESPONSE')).toBe(true);
    expect(got).toEqual([]);
  });
});
