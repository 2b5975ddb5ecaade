import type { CallOptions } from '@sf/core';

// `{ signal, timeoutMs }`, taken last by every call that goes over the network (CONVENTIONS.md
// rule 2): @sf/core's, re-exported so that a @sf/query user need not import core for it.
export type { CallOptions } from '@sf/core';

/**
 * Options of {@link search} and {@link explain}.
 * @deprecated Use `CallOptions` (the same type); `RequestOptions` is @sf/core's request.
 */
export type RequestOptions = CallOptions;
