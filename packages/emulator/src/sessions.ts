// OAuth tokens the emulator has issued. Tokens are opaque random strings shaped like
// Salesforce's (`00D...!AQ...`, refresh tokens `5Aep...`) so clients that log or redact them
// see realistic input; nothing may be derived from their content.

import { createHash, randomBytes } from 'node:crypto';

export interface Session {
  accessToken: string;
  userId: string;
  clientId: string;
  /** Epoch milliseconds. */
  issuedAt: number;
  expiresAt: number;
  refreshToken?: string;
  scope: string;
}

interface RefreshGrant {
  userId: string;
  clientId: string;
  scope: string;
  accessTokens: Set<string>;
}

interface AuthorizationCode {
  userId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
}

const FULL_SCOPE = 'api refresh_token full';

export class SessionRegistry {
  readonly #orgId: string;
  readonly #lifetimeMs: number;
  readonly #sessions = new Map<string, Session>();
  readonly #refreshGrants = new Map<string, RefreshGrant>();
  readonly #codes = new Map<string, AuthorizationCode>();

  constructor(orgId: string, lifetimeSeconds: number) {
    this.#orgId = orgId;
    this.#lifetimeMs = lifetimeSeconds * 1000;
  }

  issue(userId: string, clientId: string, options: { refresh: boolean; scope?: string }): Session {
    const scope = options.scope ?? (options.refresh ? FULL_SCOPE : 'api full');
    let refreshToken: string | undefined;
    if (options.refresh) {
      refreshToken = newRefreshToken();
      this.#refreshGrants.set(refreshToken, { userId, clientId, scope, accessTokens: new Set() });
    }
    const session = this.#newSession(userId, clientId, scope);
    if (refreshToken) {
      session.refreshToken = refreshToken;
      this.#refreshGrants.get(refreshToken)?.accessTokens.add(session.accessToken);
    }
    return session;
  }

  /**
   * A new access token for a refresh token, or undefined when it is unknown or revoked. With
   * `rotate`, the session also carries a new refresh token and the one used stops working
   * (access tokens issued before stay valid, and revoking the newest refresh token ends them all).
   */
  refresh(refreshToken: string, clientId: string, options: { rotate?: boolean } = {}): Session | undefined {
    const grant = this.#refreshGrants.get(refreshToken);
    if (!grant || grant.clientId !== clientId) return undefined;
    const session = this.#newSession(grant.userId, grant.clientId, grant.scope);
    grant.accessTokens.add(session.accessToken);
    if (options.rotate) {
      this.#refreshGrants.delete(refreshToken);
      const next = newRefreshToken();
      this.#refreshGrants.set(next, grant);
      session.refreshToken = next;
    }
    return session;
  }

  /** The live session of an access token; undefined when unknown, expired or revoked. */
  lookup(accessToken: string): Session | undefined {
    const session = this.#sessions.get(accessToken);
    if (!session) return undefined;
    if (Date.now() >= session.expiresAt) {
      this.#sessions.delete(accessToken);
      return undefined;
    }
    return session;
  }

  /**
   * Revokes an access or refresh token. Revoking a refresh token also revokes every access
   * token issued from it, as Salesforce does. Returns false for a token it never issued.
   */
  revoke(token: string): boolean {
    const grant = this.#refreshGrants.get(token);
    if (grant) {
      for (const access of grant.accessTokens) this.#sessions.delete(access);
      this.#refreshGrants.delete(token);
      return true;
    }
    return this.#sessions.delete(token);
  }

  /** Makes every access token invalid; refresh tokens keep working. */
  expireAll(): void {
    this.#sessions.clear();
  }

  expire(accessToken: string): boolean {
    return this.#sessions.delete(accessToken);
  }

  createCode(entry: Omit<AuthorizationCode, 'expiresAt'>): string {
    const code = `aPrx${randomBytes(36).toString('base64url')}`;
    // Salesforce authorization codes are good for 15 minutes and a single use.
    this.#codes.set(code, { ...entry, expiresAt: Date.now() + 15 * 60_000 });
    return code;
  }

  /** Consumes an authorization code; a second use fails, as in Salesforce. */
  takeCode(code: string): AuthorizationCode | undefined {
    const entry = this.#codes.get(code);
    this.#codes.delete(code);
    return entry && Date.now() < entry.expiresAt ? entry : undefined;
  }

  #newSession(userId: string, clientId: string, scope: string): Session {
    const issuedAt = Date.now();
    const accessToken = `${this.#orgId.slice(0, 15)}!AQ${randomBytes(72).toString('base64url')}`;
    const session: Session = {
      accessToken,
      userId,
      clientId,
      issuedAt,
      expiresAt: issuedAt + this.#lifetimeMs,
      scope,
    };
    this.#sessions.set(accessToken, session);
    return session;
  }
}

function newRefreshToken(): string {
  return `5Aep861${randomBytes(60).toString('base64url')}`;
}

/** PKCE: does `verifier` answer `challenge` under `method` (S256 or plain)? */
export function verifyPkce(verifier: string, challenge: string, method = 'plain'): boolean {
  if (method === 'S256') return createHash('sha256').update(verifier).digest('base64url') === challenge;
  return verifier === challenge;
}
