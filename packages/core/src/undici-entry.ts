// `createUndiciTransport` as the main entry exports it: the real one under the `node` export
// condition, a stub that says to use the fetch transport elsewhere (package.json "imports",
// `#undici`). Typed here, so the declarations name no `#` import (older module resolutions
// cannot follow one).
import { createUndiciTransport as byCondition } from '#undici';
import type { Transport } from './transport.js';
import type { UndiciTransportOptions } from './undici-transport.js';

/**
 * The default transport on Node.js: undici with a keep-alive pool per origin, streamed request
 * and response bodies, abort signals and per-step timeouts. Outside Node.js (no `node` export
 * condition) it throws `INVALID_ARGUMENT`: use `createFetchTransport()` there.
 *
 * @example
 * const transport = createUndiciTransport({ connections: 8 });
 * const conn = createConnection({ instanceUrl, auth, transport });
 */
export const createUndiciTransport: (options?: UndiciTransportOptions) => Transport & {
  close(): Promise<void>;
} = byCondition;
