// A function whose `length` and `[0]` throw when the user's code reads them (an old habit from
// an array API), while libraries that read a function's `length` as its arity (the native
// `Function.prototype.bind`, `vi.spyOn`, wrapper libraries) get the arity as usual.

import { bulkError } from './errors.js';

type AnyFunction = (...args: any[]) => any;

/**
 * @internal Whether the read in progress (inside `getter`) comes from a builtin (the native `bind`) or
 * from code in `node_modules` or Node itself, rather than from the user's own code. When the
 * caller cannot be told (stack traces unavailable), the read counts as the user's.
 */
export function readByLibrary(getter: AnyFunction): boolean {
  const { prepareStackTrace, stackTraceLimit } = Error;
  try {
    Error.stackTraceLimit = 1;
    Error.prepareStackTrace = (_error, sites) => sites;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, getter);
    const sites = holder.stack;
    const caller = Array.isArray(sites) ? (sites[0] as NodeJS.CallSite | undefined) : undefined;
    if (caller === undefined || caller.isEval()) return false;
    const file = caller.getFileName();
    if (file === undefined || file === null || file === '') return true;
    return file.startsWith('node:') || /[\\/]node_modules[\\/]/.test(file);
  } catch {
    return false;
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * @internal `method`, wrapped so that the user's `fn.length` or `fn[0]` throws INVALID_ARGUMENT
 * with `message`. `bind` gives a function guarded the same way (binding the function it is
 * called on, so a spy that copied it still records the calls); `call` and `apply` work as usual.
 */
export function guardedMethod<F extends AnyFunction>(name: string, method: F, message: string): F {
  const own = Object.getOwnPropertyDescriptor(method, 'length');
  const arity = typeof own?.value === 'number' ? own.value : 1;
  const guarded = ((...args: Parameters<F>) => method(...args)) as F;
  function get(): number {
    if (readByLibrary(get)) return arity;
    throw bulkError(message, { code: 'INVALID_ARGUMENT' });
  }
  function getItem(): never {
    throw bulkError(message, { code: 'INVALID_ARGUMENT' });
  }
  Object.defineProperty(guarded, 'length', { configurable: true, enumerable: false, get });
  Object.defineProperty(guarded, '0', { configurable: true, enumerable: false, get: getItem });
  Object.defineProperty(guarded, 'name', { value: name });
  Object.defineProperty(guarded, 'bind', {
    configurable: true,
    enumerable: false,
    writable: true,
    value: function bind(this: unknown, thisArg: unknown, ...args: unknown[]): F {
      const target = typeof this === 'function' ? (this as F) : guarded;
      const bound = Function.prototype.bind.call(target, thisArg, ...args) as F;
      return guardedMethod(`bound ${name}`, bound, message);
    },
  });
  return guarded;
}
