import { createPlatformTransport } from '#platform-transport';
import type { Transport } from './transport.js';

let shared: Transport | undefined;

/**
 * The one transport every connection and login call uses when it is given none, created on
 * first use and shared, so all of them share one keep-alive pool per origin. On Node.js (the
 * `node` export condition) it is `createUndiciTransport()`; on any other runtime (edge
 * workers, Deno without Node compatibility, browsers) it is `createFetchTransport()` over the
 * global `fetch`, and undici is never imported or bundled.
 *
 * @example
 * const conn = createConnection({ instanceUrl, auth, transport: defaultTransport() });
 */
export function defaultTransport(): Transport {
  shared ??= createPlatformTransport();
  return shared;
}
