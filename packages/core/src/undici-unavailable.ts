// `createUndiciTransport` where the `node` export condition is not set (see package.json
// "imports"): the same signature, so code type-checks alike, but calling it says what to use.
import { SalesforceError } from './errors.js';
import type { Transport } from './transport.js';
import type { UndiciTransportOptions } from './undici-transport.js';

export type { UndiciTransportOptions } from './undici-transport.js';

/** Throws: undici needs Node.js. Use `createFetchTransport()` on this runtime. */
export function createUndiciTransport(_options: UndiciTransportOptions = {}): Transport & {
  close(): Promise<void>;
} {
  throw new SalesforceError(
    'createUndiciTransport needs Node.js (undici); on this runtime pass transport: createFetchTransport()',
    { code: 'INVALID_ARGUMENT' },
  );
}
