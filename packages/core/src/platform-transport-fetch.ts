// The default transport where the `node` export condition is not set (edge runtimes, browsers;
// see package.json "imports"): fetch, so that neither undici nor a Node built-in is imported.
import { createFetchTransport } from './fetch-transport.js';
import type { Transport } from './transport.js';

export function createPlatformTransport(): Transport {
  return createFetchTransport();
}
