// Salesforce pins a CometD client to one server with a cookie (`sfdc-stream`) that every later
// request must send back; a request that lands on another server is answered
// `403::Unknown client`, since that server never saw the handshake. A jar per streaming client,
// names and values only (one origin, so domain and path do not matter).

/** @internal */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  /** Takes the `Set-Cookie` header (repeated values joined by `, `, as core's transports join them). */
  store(header: string | undefined): void {
    if (!header) return;
    // A comma separates cookies only where a `name=` follows (an Expires date has a comma too).
    for (const cookie of header.split(/,\s*(?=[^;,=\s]+=)/)) {
      const [pair = '', ...attributes] = cookie.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (expired(attributes)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  /** The `Cookie` header to send, or undefined when the jar is empty. */
  header(): string | undefined {
    if (this.#cookies.size === 0) return undefined;
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

function expired(attributes: string[]): boolean {
  for (const attribute of attributes) {
    const [key = '', value = ''] = attribute.split('=', 2).map((s) => s.trim());
    if (/^max-age$/i.test(key) && Number(value) <= 0) return true;
    if (/^expires$/i.test(key)) {
      const at = Date.parse(value);
      if (!Number.isNaN(at) && at <= Date.now()) return true;
    }
  }
  return false;
}
