// The event bus's memory: every event published on a channel is kept, with its replay id, for
// a retention window (a count and an age), so subscribers can replay what they missed.

/** One retained event: its replay id, when it was published, and the Bayeux `data` sent. */
export interface RetainedEvent {
  replayId: number;
  publishedAt: number;
  data: Record<string, unknown>;
}

export interface RetentionOptions {
  /** Most events kept per channel; the oldest go first. 10,000 by default. */
  maxEvents?: number;
  /** How long an event is kept; 24 hours by default (Salesforce keeps 24 or 72 hours). */
  maxAgeMs?: number;
}

/** What replaying from `replayId` yields: the events after it, or why it cannot. */
export type ReplayResult = { ok: true; events: RetainedEvent[] } | { ok: false };

/**
 * Retained events of every channel. Replay ids increase by one per channel, starting at 1;
 * clients must treat them as opaque, the emulator relies on them being ordered.
 */
export class ReplayBuffer {
  readonly #channels = new Map<string, { next: number; events: RetainedEvent[] }>();
  readonly #maxEvents: number;
  readonly #maxAgeMs: number;

  constructor(options: RetentionOptions = {}) {
    this.#maxEvents = Math.max(1, options.maxEvents ?? 10_000);
    this.#maxAgeMs = options.maxAgeMs ?? 24 * 60 * 60 * 1000;
  }

  /** Stores an event and returns its replay id. `build` receives the id to place in the data. */
  append(channel: string, build: (replayId: number) => Record<string, unknown>): RetainedEvent {
    let entry = this.#channels.get(channel);
    if (!entry) this.#channels.set(channel, (entry = { next: 1, events: [] }));
    const replayId = entry.next++;
    const event = { replayId, publishedAt: Date.now(), data: build(replayId) };
    entry.events.push(event);
    this.#evict(entry.events);
    return event;
  }

  /**
   * Events after `replayId`: `-1` none, `-2` every retained one, an id the ones after it. An id
   * whose successors were evicted (or one never issued) cannot be replayed, as in Salesforce.
   */
  since(channel: string, replayId: number): ReplayResult {
    const entry = this.#channels.get(channel);
    if (replayId === -1) return { ok: true, events: [] };
    if (entry) this.#evict(entry.events);
    const events = entry?.events ?? [];
    if (replayId === -2) return { ok: true, events: [...events] };
    const latest = (entry?.next ?? 1) - 1;
    const oldest = events[0]?.replayId ?? latest + 1;
    if (!Number.isInteger(replayId) || replayId < oldest - 1 || replayId > latest) return { ok: false };
    return { ok: true, events: events.filter((e) => e.replayId > replayId) };
  }

  /** Forgets every retained event (replay ids keep increasing). */
  clear(channel?: string): void {
    for (const [name, entry] of this.#channels)
      if (channel === undefined || name === channel) entry.events = [];
  }

  #evict(events: RetainedEvent[]): void {
    const cutoff = Date.now() - this.#maxAgeMs;
    let drop = Math.max(0, events.length - this.#maxEvents);
    while (drop < events.length && (events[drop]?.publishedAt ?? 0) < cutoff) drop++;
    if (drop > 0) events.splice(0, drop);
  }
}
