// The default transport under the `node` export condition (see package.json "imports").
import type { Transport } from './transport.js';
import { createUndiciTransport } from './undici-transport.js';

export function createPlatformTransport(): Transport {
  return createUndiciTransport();
}
