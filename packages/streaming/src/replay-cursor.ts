// Replay bookkeeping as pure functions over an immutable cursor: which replay id to subscribe
// with, whether a message is an overlap or duplicate a replay brought back, and what gap to report
// when the server no longer retains the id. Kept apart from the subscription so it can be tested
// exhaustively (fast-check) without a server.

/** The replay-unavailable policy: fail, or go on from everything retained (-2) or new events (-1). */
export type ReplayPolicy = 'fail' | 'fromEarliest' | 'fromNew';

/** @internal Where a subscription stands in its channel's replay stream. */
export interface ReplayCursor {
  /** Subscribe with this until something is received: -1, -2 or a replay id to resume after. */
  readonly start: number;
  /** The newest replay id received since the start (undefined: nothing yet). */
  readonly received: number | undefined;
  /** A fallback happened; the gap is reported with the next message. */
  readonly pendingGap: { readonly requestedReplayId: number; readonly resumedFrom: -1 | -2 } | undefined;
}

/** @internal A gap to report: the id asked for, how the stream went on, and the first id after it. */
export interface CursorGap {
  requestedReplayId: number;
  resumedFrom: -1 | -2;
  nextReplayId: number | undefined;
}

/** @internal The stored id wins over `replay`, which wins over -1 (new events only). */
export function startCursor(stored: number | undefined, replay: number | undefined): ReplayCursor {
  return { start: stored ?? replay ?? -1, received: undefined, pendingGap: undefined };
}

/** @internal The replay id to (re)subscribe with now: the newest received, else the start. */
export function resumeFrom(cursor: ReplayCursor): number {
  return cursor.received ?? cursor.start;
}

/**
 * @internal A message arrived with `replayId` (anything but a number: a message without one).
 * `accept` is false for a replay id not newer than the newest received (the overlap a replay
 * brings, or a duplicate); an accepted message carries the pending gap, if any.
 */
export function receive(
  cursor: ReplayCursor,
  replayId: unknown,
): { cursor: ReplayCursor; accept: boolean; gap: CursorGap | undefined } {
  const id = typeof replayId === 'number' ? replayId : undefined;
  if (id !== undefined && cursor.received !== undefined && id <= cursor.received) {
    return { cursor, accept: false, gap: undefined };
  }
  const gap = cursor.pendingGap && { ...cursor.pendingGap, nextReplayId: id };
  return {
    cursor: { start: cursor.start, received: id ?? cursor.received, pendingGap: undefined },
    accept: true,
    gap,
  };
}

/**
 * @internal The server no longer retains `resumeFrom(cursor)`. Under `'fail'` there is no way on
 * (undefined); otherwise the cursor restarts from -2 or -1 and remembers the gap to report.
 * Whatever was received is forgotten: after the fallback the server's ids are the truth.
 */
export function fallBack(cursor: ReplayCursor, policy: ReplayPolicy): ReplayCursor | undefined {
  if (policy === 'fail') return undefined;
  const resumedFrom = policy === 'fromEarliest' ? -2 : -1;
  return {
    start: resumedFrom,
    received: undefined,
    // Falling back twice before anything arrives still reports the id first asked for.
    pendingGap: {
      requestedReplayId: cursor.pendingGap?.requestedReplayId ?? resumeFrom(cursor),
      resumedFrom,
    },
  };
}
