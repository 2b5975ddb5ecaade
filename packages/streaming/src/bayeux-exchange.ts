// One Bayeux exchange: a POST of messages to `/cometd/NN.0` through the connection's own
// request machinery (auth header, renewal on HTTP 401, logging, the transport's timeouts), with
// a deadline of its own over the whole exchange, headers and body. Whatever is not a complete
// JSON array of Bayeux messages within that deadline (a non-2xx status with any body, an HTML
// page, an empty or cut-off body, a reset, silence) rejects, so the caller never waits on an
// answer that is not coming.

import { type Connection, isSalesforceError, salesforceError } from '@sf/core';
import type { CookieJar } from './cookie-jar.js';
import { untilAborted } from './until-aborted.js';

const SOURCE = '@sf/streaming';

/** A Bayeux message as it travels: `channel` always, the rest depending on the channel. */
export interface BayeuxMessage {
  channel: string;
  id?: string;
  clientId?: string;
  successful?: boolean;
  error?: string;
  subscription?: string | string[];
  advice?: unknown;
  ext?: Record<string, any>;
  data?: any;
  [key: string]: unknown;
}

export interface ExchangeOptions {
  /** The whole exchange must be answered within this. */
  deadlineMs: number;
  /** Ends the exchange early (the session it belongs to was thrown away). */
  signal: AbortSignal;
  cookies: CookieJar;
  /** What the exchange is, for messages: `/meta/connect`... */
  what: string;
}

/** @internal Sends `messages` and resolves with the server's messages, or rejects with a SalesforceError. */
export async function exchange(
  conn: Connection,
  messages: BayeuxMessage[],
  options: ExchangeOptions,
): Promise<BayeuxMessage[]> {
  const controller = new AbortController();
  const deadline = salesforceError(
    SOURCE,
    'TIMEOUT',
    `${options.what}: no complete answer within ${options.deadlineMs} ms`,
  );
  const timer = setTimeout(() => controller.abort(deadline), options.deadlineMs);
  const onAbort = () => controller.abort(options.signal.reason);
  if (options.signal.aborted) onAbort();
  else options.signal.addEventListener('abort', onAbort, { once: true });
  const path = `/cometd/${conn.apiVersion}`;
  try {
    const cookie = options.cookies.header();
    const res = await conn.requestRaw({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(messages),
      signal: controller.signal,
      timeoutMs: options.deadlineMs,
      // Never resent by the retry middleware: a failed exchange leads to a new handshake.
      idempotent: false,
      source: SOURCE,
    });
    options.cookies.store(res.headers['set-cookie']);
    const text = await untilAborted(res.text(), controller.signal, () => res.cancel());
    return parseReplies(text, res.status, options.what);
  } catch (error) {
    if (controller.signal.aborted) throw controller.signal.reason;
    if (isSalesforceError(error)) throw error;
    throw salesforceError(
      SOURCE,
      'NETWORK',
      `${options.what} failed: ${(error as Error)?.message ?? String(error)}`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
  }
}

/** @internal The body as Bayeux messages: a JSON array (or one object) of objects with a channel. */
export function parseReplies(text: string, status: number, what: string): BayeuxMessage[] {
  const malformed = (why: string, cause?: unknown) =>
    salesforceError(SOURCE, 'MALFORMED_RESPONSE', `${what}: ${why}`, {
      status,
      ...(cause === undefined ? {} : { cause }),
    });
  if (text.trim().length === 0) throw malformed('empty response body');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw malformed(`response body is not JSON (${text.length} characters): truncated or malformed`, cause);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  for (const message of list) {
    if (
      typeof message !== 'object' ||
      message === null ||
      typeof (message as BayeuxMessage).channel !== 'string'
    ) {
      throw malformed('response is not a list of Bayeux messages');
    }
  }
  return list as BayeuxMessage[];
}
