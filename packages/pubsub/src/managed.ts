// ManagedSubscribe (beta, API 60.0+): the server keeps the replay position of a
// ManagedEventSubscription, and the client moves it forward with explicit commits.

import { type CallOptions, type Connection, refuseOldArguments } from '@sf/core';
import { clientOf, type PubSubClient } from './client.js';
import { pubsubError } from './errors.js';
import { type ReplayId, replayIdToBytes } from './replay-id.js';
import { type StreamOptions, type StreamProtocol, Subscription } from './subscription.js';

export interface ManagedSubscribeOptions extends StreamOptions {
  /** The ManagedEventSubscription's developer name (or give `subscriptionId`). */
  developerName?: string;
  /** The ManagedEventSubscription's record id. */
  subscriptionId?: string;
}

interface PendingCommit {
  id: string;
  replayId: Buffer;
  sent: boolean;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * A managed subscription: like `subscribe()`'s, plus `commit()`. After a reconnect the server
 * resumes after the last commit, so events taken but not committed come again.
 */
export class ManagedSubscription extends Subscription {
  /** @internal */
  readonly commits: PendingCommit[] = [];
  /** @internal */
  sendCommit: ((commit: PendingCommit) => boolean) | undefined;
  #counter = 0;

  /**
   * Moves the server's stored position to `replayId` (by default, the last event taken);
   * resolves when the server confirms it.
   */
  commit(replayId: ReplayId | undefined = this.replayId, options: CallOptions = {}): Promise<void> {
    if (!replayId)
      return Promise.reject(pubsubError('INVALID_ARGUMENT', 'nothing to commit yet: no event was taken'));
    return new Promise<void>((resolve, reject) => {
      const commit: PendingCommit = {
        id: `commit-${++this.#counter}`,
        replayId: replayIdToBytes(replayId),
        sent: false,
        resolve,
        reject,
      };
      this.commits.push(commit);
      commit.sent = this.sendCommit?.(commit) ?? false;
      options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true });
      let timer: NodeJS.Timeout | undefined;
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(
          () => reject(pubsubError('TIMEOUT', `the commit was not confirmed within ${options.timeoutMs} ms`)),
          options.timeoutMs,
        );
      }
      const clear = () => clearTimeout(timer);
      commit.resolve = () => {
        clear();
        resolve();
      };
      commit.reject = (e) => {
        clear();
        reject(e);
      };
    });
  }
}

/**
 * Subscribes through a managed subscription (`developerName` or `subscriptionId`).
 *
 * @example
 * const sub = managedSubscribe(conn, { developerName: 'Orders_Managed' });
 * for await (const event of sub) { handle(event); await sub.commit(event.replayId); }
 */
export function managedSubscribe(
  target: Connection | PubSubClient,
  options: ManagedSubscribeOptions,
): ManagedSubscription {
  // biome-ignore lint/complexity/noArguments: nforce's oauth object, as the options or past them, is refused
  refuseOldArguments('@sf/pubsub', 'managedSubscribe()', arguments, {
    instead:
      "it returns a ManagedSubscription. Write `for await (const event of managedSubscribe(conn, options))` or `.on('event', fn)`",
  });
  const client = clientOf(target);
  const name = options.developerName ?? options.subscriptionId;
  if (!name) throw pubsubError('INVALID_ARGUMENT', 'managedSubscribe needs developerName or subscriptionId');
  let sub: ManagedSubscription | undefined;
  const request = (commit: PendingCommit) => ({
    commitReplayIdRequest: { commitRequestId: commit.id, replayId: commit.replayId },
  });
  const protocol: StreamProtocol = {
    method: 'ManagedSubscribe',
    name,
    serverKeepsPosition: true,
    async first(room) {
      // A commit made while no stream was open rides on the first request.
      const unsent = sub?.commits.filter((c) => !c.sent).at(-1);
      for (const c of sub?.commits ?? []) c.sent = true;
      return {
        ...(options.developerName
          ? { developerName: options.developerName }
          : { subscriptionId: options.subscriptionId }),
        numRequested: room,
        ...(unsent ? request(unsent) : {}),
      };
    },
    more: (count) => ({ numRequested: count }),
    onResponse(response) {
      const done = response.commitResponse;
      if (!done || !sub) return;
      // Commits may be answered in a batch: one answer settles its request and every earlier one.
      const at = sub.commits.findIndex((c) => c.id === done.commitRequestId);
      const settled = at < 0 ? [] : sub.commits.splice(0, at + 1);
      for (const c of settled) {
        if (done.error)
          c.reject(
            pubsubError('API_ERROR', `commit refused: ${done.error.msg}`, {
              errorCode: String(done.error.code),
            }),
          );
        else c.resolve();
      }
    },
  };
  sub = new ManagedSubscription(client, name, protocol, options);
  const managed = sub;
  sub.sendCommit = (commit) => managed.send(request(commit));
  return sub;
}
