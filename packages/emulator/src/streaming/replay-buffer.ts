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

/** An event kept unbuilt until someone reads it (published while no client was connected). */
interface PendingEvent {
  replayId: number;
  publishedAt: number;
  data: undefined;
  build: (replayId: number) => Record<string, unknown>;
}

/** What replaying from `replayId` yields: the events after it, or why it cannot. */
export type ReplayResult = { ok: true; events: RetainedEvent[] } | { ok: false };

/**
 * Retained events of every channel. Replay ids increase by one per channel, starting at 1;
 * clients must treat them as opaque, the emulator relies on them being ordered.
 */
export class ReplayBuffer {
  readonly #channels = new Map<string, { next: number; events: (RetainedEvent | PendingEvent)[] }>();
  readonly #maxEvents: number;
  readonly #maxAgeMs: number;

  constructor(options: RetentionOptions = {}) {
    this.#maxEvents = Math.max(1, options.maxEvents ?? 10_000);
    this.#maxAgeMs = options.maxAgeMs ?? 24 * 60 * 60 * 1000;
  }

  /** Stores an event and returns its replay id. `build` receives the id to place in the data. */
  append(channel: string, build: (replayId: number) => Record<string, unknown>): RetainedEvent {
    const events = this.#events(channel);
    const replayId = this.#nextId(channel);
    const event = { replayId, publishedAt: Date.now(), data: build(replayId) };
    events.push(event);
    this.#evict(events, false);
    return event;
  }

  /**
   * Stores an event whose data is built only when it is replayed, and returns its replay id.
   * For events nobody receives now (no client connected): a Bulk ingest publishes two change
   * events per row, and most leave the retention window before anyone could ask for them.
   * `build` must capture the values of the moment it was made, not live objects.
   */
  appendLater(channel: string, build: (replayId: number) => Record<string, unknown>): number {
    const events = this.#events(channel);
    const replayId = this.#nextId(channel);
    events.push({ replayId, publishedAt: Date.now(), data: undefined, build });
    this.#evict(events, false);
    return replayId;
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
    if (replayId === -2) return { ok: true, events: built(events, 0) };
    const latest = (entry?.next ?? 1) - 1;
    const oldest = events[0]?.replayId ?? latest + 1;
    if (!Number.isInteger(replayId) || replayId < oldest - 1 || replayId > latest) return { ok: false };
    return { ok: true, events: built(events, replayId - oldest + 1) };
  }

  #events(channel: string): (RetainedEvent | PendingEvent)[] {
    let entry = this.#channels.get(channel);
    if (!entry) this.#channels.set(channel, (entry = { next: 1, events: [] }));
    return entry.events;
  }

  #nextId(channel: string): number {
    const entry = this.#channels.get(channel) as { next: number };
    return entry.next++;
  }

  /** Forgets every retained event (replay ids keep increasing). */
  clear(channel?: string): void {
    for (const [name, entry] of this.#channels)
      if (channel === undefined || name === channel) entry.events = [];
  }

  /**
   * Drops what the retention window no longer holds. On append (`exact` false) the oldest go in
   * runs of at least an eighth of the window, because dropping one at a time from the front of
   * an array costs a copy of the whole window per event (a 200,000-row Bulk ingest publishes
   * 400,000 change events); reads evict exactly, so replay never sees more than the window.
   */
  #evict(events: (RetainedEvent | PendingEvent)[], exact = true): void {
    const cutoff = Date.now() - this.#maxAgeMs;
    let drop = Math.max(0, events.length - this.#maxEvents);
    const slack = Math.max(64, this.#maxEvents >> 3);
    if (!exact && drop < slack && (events[0]?.publishedAt ?? cutoff) >= cutoff) return;
    while (drop < events.length && (events[drop]?.publishedAt ?? 0) < cutoff) drop++;
    if (drop > 0) events.splice(0, drop);
  }
}

/** The events from index `from` on, each built once (and kept built) if it was pending. */
function built(events: (RetainedEvent | PendingEvent)[], from: number): RetainedEvent[] {
  const out: RetainedEvent[] = [];
  for (let i = Math.max(0, from); i < events.length; i++) {
    let event = events[i] as RetainedEvent | PendingEvent;
    if (event.data === undefined) {
      const { replayId, publishedAt, build } = event as PendingEvent;
      event = { replayId, publishedAt, data: build(replayId) };
      events[i] = event;
    }
    out.push(event);
  }
  return out;
}
