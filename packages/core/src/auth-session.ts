import type { AuthContext, AuthStrategy, Credentials } from './auth-strategy.js';
import { SalesforceError } from './errors.js';

/**
 * Renew this long before a known expiry, so a request does not set off with a dying token;
 * at most half the session's lifetime, so a short session is not renewed on every call.
 */
const RENEW_BEFORE_MS = 60_000;

/** Options of {@link AuthSession}. */
export interface AuthSessionOptions {
  /** The clock, in epoch ms (tests pass a fake one). Default `Date.now`. */
  now?: () => number;
}

/** Waits for a shared promise while letting one caller give up on its own signal. */
function withSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function carried(previous: Credentials | undefined): Partial<Credentials> {
  if (!previous) return {};
  const { refreshToken, instanceUrl, id, userId, organizationId, scope, tokenType } = previous;
  const out: Partial<Credentials> = {};
  for (const [k, v] of Object.entries({
    refreshToken,
    instanceUrl,
    id,
    userId,
    organizationId,
    scope,
    tokenType,
  })) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/**
 * One user's credentials and the single login or renewal in flight for them. However many
 * requests find the token expired at once, the strategy is asked once and all of them wait.
 */
export class AuthSession {
  readonly #strategy: AuthStrategy;
  readonly #context: () => AuthContext;
  readonly #onCredentials: (credentials: Credentials, renewed: boolean) => void;
  readonly #now: () => number;
  #current: Credentials | undefined;
  #pending: Promise<Credentials> | undefined;
  /** The current token's lifetime and its expiry by our clock, when an expiry is known. */
  #expiry: { lifetime: number; at: number } | undefined;

  /** `onCredentials` hears of every login (`renewed` false) and every renewal (`renewed` true). */
  constructor(
    strategy: AuthStrategy,
    context: () => AuthContext,
    onCredentials: (credentials: Credentials, renewed: boolean) => void,
    options: AuthSessionOptions = {},
  ) {
    this.#strategy = strategy;
    this.#context = context;
    this.#onCredentials = onCredentials;
    this.#now = options.now ?? Date.now;
  }

  /** The credentials in use, if a login has happened. */
  get current(): Credentials | undefined {
    return this.#current;
  }

  get canRenew(): boolean {
    return typeof this.#strategy.refresh === 'function';
  }

  /**
   * Where the current token's life ends, by our clock. A token we have just renewed is
   * fresh: it ends one lifetime after it arrived, whatever `expiresAt` says by a clock that
   * may be skewed (else every new token could look expired, and be renewed on every call).
   * A token we were given (perhaps from a store) ends at its `expiresAt`.
   */
  #track(credentials: Credentials, renewed: boolean): void {
    if (credentials.expiresAt === undefined) {
      this.#expiry = undefined;
      return;
    }
    const now = this.#now();
    // The lifetime by the issuer's clock where it says when it issued, else by ours.
    const measured = credentials.expiresAt - (credentials.issuedAt ?? now);
    const lifetime = measured > 0 ? measured : RENEW_BEFORE_MS;
    this.#expiry = { lifetime, at: renewed ? now + lifetime : credentials.expiresAt };
  }

  /**
   * Whether to renew ahead of the expiry: within min(60 s, lifetime / 2) of it. So a token is
   * renewed ahead at most once in its lifetime, even one that a strategy hands back unchanged.
   * A refused token is renewed by {@link renew} whatever this says.
   */
  #dueForRenewal(): boolean {
    if (!this.#expiry || !this.canRenew) return false;
    const margin = Math.min(RENEW_BEFORE_MS, this.#expiry.lifetime / 2);
    return this.#expiry.at - this.#now() < margin;
  }

  /** Valid credentials: logs in the first time, renews shortly before a known expiry. */
  async credentials(signal?: AbortSignal): Promise<Credentials> {
    if (this.#pending) {
      // A login in flight may bring credentials that are due at once (see below).
      const shared = await withSignal(this.#pending, signal);
      return this.#dueForRenewal() ? this.renew(shared, signal) : shared;
    }
    const current = this.#current;
    if (!current) {
      const first = await withSignal(
        this.#run(() => this.#strategy.getCredentials(this.#context()), false),
        signal,
      );
      // Credentials from a store may already be near their end: renew before the first use.
      return this.#dueForRenewal() ? this.renew(first, signal) : first;
    }
    if (this.#dueForRenewal()) return this.renew(current, signal);
    return current;
  }

  /**
   * New credentials after `rejected` was refused. If another request already renewed
   * since, its result is returned without asking the strategy again.
   */
  async renew(rejected: Credentials | string, signal?: AbortSignal): Promise<Credentials> {
    const token = typeof rejected === 'string' ? rejected : rejected.accessToken;
    if (this.#pending) return withSignal(this.#pending, signal);
    if (this.#current && this.#current.accessToken !== token) return this.#current;
    const refresh = this.#strategy.refresh;
    if (!refresh) {
      throw new SalesforceError('the session expired and this connection has no way to renew it', {
        code: 'AUTH_FAILED',
        errorCode: 'INVALID_SESSION_ID',
      });
    }
    const old = this.#current ?? { accessToken: token };
    return withSignal(
      this.#run(() => refresh.call(this.#strategy, this.#context(), old), true),
      signal,
    );
  }

  #run(task: () => Promise<Credentials>, renewed: boolean): Promise<Credentials> {
    const pending = (async () => {
      try {
        const next = await task();
        // A renewal may omit what did not change (refresh responses carry no refresh token),
        // but never inherits the old token's timing.
        this.#current = { ...carried(this.#current), ...next };
        this.#track(this.#current, renewed);
        this.#onCredentials(this.#current, renewed);
        return this.#current;
      } finally {
        this.#pending = undefined;
      }
    })();
    this.#pending = pending;
    return pending;
  }
}
