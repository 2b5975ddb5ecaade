import type { AuthContext, AuthStrategy, Credentials } from './auth-strategy.js';
import { SalesforceError } from './errors.js';

/** Renew this long before a known expiry, so a request does not set off with a dying token. */
const RENEW_BEFORE_MS = 60_000;

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
  #current: Credentials | undefined;
  #pending: Promise<Credentials> | undefined;

  /** `onCredentials` hears of every login (`renewed` false) and every renewal (`renewed` true). */
  constructor(
    strategy: AuthStrategy,
    context: () => AuthContext,
    onCredentials: (credentials: Credentials, renewed: boolean) => void,
  ) {
    this.#strategy = strategy;
    this.#context = context;
    this.#onCredentials = onCredentials;
  }

  /** The credentials in use, if a login has happened. */
  get current(): Credentials | undefined {
    return this.#current;
  }

  get canRenew(): boolean {
    return typeof this.#strategy.refresh === 'function';
  }

  /** Valid credentials: logs in the first time, renews shortly before a known expiry. */
  async credentials(signal?: AbortSignal): Promise<Credentials> {
    if (this.#pending) return withSignal(this.#pending, signal);
    const current = this.#current;
    if (!current)
      return withSignal(
        this.#run(() => this.#strategy.getCredentials(this.#context()), false),
        signal,
      );
    if (
      current.expiresAt !== undefined &&
      this.canRenew &&
      current.expiresAt - Date.now() < RENEW_BEFORE_MS
    ) {
      return this.renew(current, signal);
    }
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
