// What the client sends, seen from its own side: a middleware on a test's connection that notes
// each request as it starts and when it is over (answered and its body read, cancelled, or
// failed). Tests wait on these events instead of sleeping: "the next page was fetched" becomes
// "the client is quiet", and a request that a previous test left in flight (landing on the
// emulator late) is not counted, because only this connection's requests are.
import {
  type Connection,
  createConnection,
  deferred,
  type Middleware,
  type TransportResponse,
} from '@sf/core';
import type { Emulator } from '@sf/emulator';

export interface RequestProbe {
  readonly middleware: Middleware;
  /** Paths (no query string) of the requests started, oldest first. */
  readonly started: readonly string[];
  /** Requests started and not yet over. */
  readonly inFlight: number;
  /** Resolves when a request whose path matches starts (at once if one already has). */
  whenStarted(pattern: RegExp): Promise<void>;
  /**
   * Resolves once no request is in flight and a turn of the event loop passes without a new
   * one: the client has stopped by itself. Bounded by the test's own timeout, no timer.
   */
  quiet(): Promise<void>;
}

const QUERY_PATH = /\/services\/data\/v[\d.]+\/query(All)?(\/|$)/;

/** The query requests (first pages and nextRecordsUrl pages) a probe saw start. */
export function queryRequestsSent(probe: RequestProbe): number {
  return probe.started.filter((path) => QUERY_PATH.test(path)).length;
}

export function requestProbe(): RequestProbe {
  const started: string[] = [];
  let inFlight = 0;
  let changed = deferred<void>();
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  const notify = () => {
    const current = changed;
    changed = deferred<void>();
    current.resolve();
  };
  const begin = (path: string): (() => void) => {
    started.push(path);
    inFlight++;
    for (const w of waiters.splice(0)) {
      if (w.pattern.test(path)) w.resolve();
      else waiters.push(w);
    }
    notify();
    let over = false;
    return () => {
      if (over) return;
      over = true;
      inFlight--;
      notify();
    };
  };
  const watched = (res: TransportResponse, end: () => void): TransportResponse => {
    const after = <T>(p: Promise<T>): Promise<T> => p.finally(end);
    return {
      status: res.status,
      headers: res.headers,
      get bodyUsed() {
        return res.bodyUsed;
      },
      text: () => after(res.text()),
      json: <T>() => after(res.json<T>()),
      body: () =>
        (async function* () {
          try {
            yield* res.body();
          } finally {
            end();
          }
        })(),
      cancel: () => after(res.cancel()),
    };
  };
  const middleware: Middleware = (next) => async (req) => {
    const end = begin(new URL(req.url).pathname);
    try {
      return watched(await next(req), end);
    } catch (error) {
      end();
      throw error;
    }
  };
  return {
    middleware,
    started,
    get inFlight() {
      return inFlight;
    },
    whenStarted(pattern) {
      if (started.some((path) => pattern.test(path))) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
    async quiet() {
      for (;;) {
        while (inFlight > 0) await changed.promise;
        const count = started.length;
        await new Promise((resolve) => setImmediate(resolve));
        if (inFlight === 0 && started.length === count) return;
      }
    },
  };
}

/** A connection to `emu` whose requests `probe` sees (no retries, so each request is one). */
export function probedConnection(emu: Emulator): { conn: Connection; probe: RequestProbe } {
  const probe = requestProbe();
  const conn = createConnection({
    instanceUrl: emu.instanceUrl,
    auth: emu.issueToken().accessToken,
    retry: false,
    middleware: [probe.middleware],
  });
  return { conn, probe };
}
