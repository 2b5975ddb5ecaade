// Long-polls cut by the network while the server holds them: what a load balancer's idle
// timeout, a proxy restart or a NAT rebinding does to a `/meta/connect` Salesforce is holding.
// Whatever the server had already written into such a response (and so removed from the
// client's queue) is lost with it; only a resubscribe with a replay id brings it back.

import type { IncomingMessage, ServerResponse } from 'node:http';

/** Tracks the CometD responses in flight and cuts the long-polls among them on demand. */
export class LongPollCutter {
  readonly #inFlight = new WeakMap<IncomingMessage, ServerResponse>();
  readonly #held = new Set<ServerResponse>();
  #deliveriesToCut = 0;

  /** Every CometD request passes here before faye sees it. */
  track(req: IncomingMessage, res: ServerResponse): void {
    this.#inFlight.set(req, res);
    res.once('close', () => this.#held.delete(res));
  }

  /** Faye's extension saw a `/meta/connect` in this request: its response is a long-poll. */
  markLongPoll(req: IncomingMessage): void {
    const res = this.#inFlight.get(req);
    if (!res || this.#held.has(res) || res.writableEnded) return;
    this.#held.add(res);
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      const body = args[0];
      if (this.#deliveriesToCut > 0 && typeof body === 'string' && carriesEvents(body)) {
        this.#deliveriesToCut--;
        this.#held.delete(res);
        // The headers promise the whole body; half of it goes out, then the connection dies.
        res.write(body.slice(0, Math.floor(body.length / 2)), () => res.destroy());
        return res;
      }
      this.#held.delete(res);
      return end(...args);
    }) as typeof res.end;
  }

  /** Destroys the connection of every long-poll held right now; returns how many. */
  cutHeld(): number {
    const held = [...this.#held].filter((res) => !res.headersSent);
    this.#held.clear();
    for (const res of held) res.destroy();
    return held.length;
  }

  /** The next `count` long-poll answers that carry events are cut in the middle of their body. */
  cutNextDeliveries(count: number): void {
    this.#deliveriesToCut += Math.max(0, count);
  }
}

function carriesEvents(body: string): boolean {
  try {
    const messages = JSON.parse(body) as unknown;
    return (
      Array.isArray(messages) &&
      messages.some((m) => typeof m?.channel === 'string' && !m.channel.startsWith('/meta/'))
    );
  } catch {
    return false;
  }
}
