// Writing a REST query page as it is serialised, as Salesforce sends query responses (chunked):
// the headers and the head of the JSON (`{"totalSize":N,"done":false,"nextRecordsUrl":"..."`)
// go out at once, then the records in chunks, each written when the client has taken the last.
// The bytes are those of JSON.stringify of `{ totalSize, done, nextRecordsUrl?, records }`.

import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { drained } from './drained.js';

/** What comes before `records` in a query page, in Salesforce's key order. */
export interface PageHead {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
}

/** Characters of serialised records gathered before one `res.write`. */
const CHUNK_CHARS = 16 * 1024;

/** The JSON of `head` up to and including `"records":[`, as JSON.stringify writes it. */
export function pageHeadJson(head: PageHead): string {
  let text = `{"totalSize":${JSON.stringify(head.totalSize)},"done":${JSON.stringify(head.done)}`;
  if (head.nextRecordsUrl !== undefined) text += `,"nextRecordsUrl":${JSON.stringify(head.nextRecordsUrl)}`;
  return `${text},"records":[`;
}

/**
 * Answers 200 with a query page of `count` records, `recordAt(i)` building the i-th when it is
 * about to be written. The first record is built before anything is sent, so a failure there is
 * still answered as an error; a failure later (or the client going away) ends the connection
 * (the caller's error handler destroys a response whose headers are out). Resolves when the
 * page is written or the client has gone.
 */
export async function streamQueryPage(
  res: ServerResponse,
  head: PageHead,
  count: number,
  recordAt: (index: number) => unknown,
  /** Applied to every piece written (each cut between values), such as moving URLs under a root. */
  rewrite: (json: string) => string = (json) => json,
): Promise<void> {
  const first = count > 0 ? rewrite(JSON.stringify(recordAt(0))) : '';
  // No Content-Length: Node sends the body with Transfer-Encoding: chunked.
  res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
  // The head is a chunk of its own, on the wire before any other record is serialised: Node
  // corks the socket for a write until the next tick, so the loop turns before serialising.
  if (!res.write(rewrite(pageHeadJson(head)))) await drained(res);
  await nextTurn();
  let chunk = first;
  for (let i = 1; i < count; i++) {
    if (res.destroyed) return;
    chunk += `,${rewrite(JSON.stringify(recordAt(i)))}`;
    if (chunk.length < CHUNK_CHARS) continue;
    if (!res.write(chunk)) await drained(res);
    // The event loop turns between chunks, so other requests (the client's next page) start:
    // 'drain' after a write the socket took at once comes on process.nextTick, which does not.
    await nextTurn();
    chunk = '';
  }
  if (!res.destroyed) res.end(`${chunk}]}`);
}
