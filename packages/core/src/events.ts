/**
 * A tiny typed emitter: core has to run where `node:events` may be missing (edge runtimes
 * with the fetch transport), and listeners must never break a request.
 */

/** What an {@link Emitter} knows about its events, so a listener for another name is caught. */
export interface EmitterOptions<Events> {
  /** Every event this emitter emits. A listener for any other name warns once. */
  events?: readonly (keyof Events & string)[];
  /** An old library's name for one of ours (`{ data: 'message' }`, as in nforce): the warning names ours. */
  renamed?: Readonly<Record<string, keyof Events & string>>;
  /** The package, for the warning's prefix (`@sf/streaming`). Default `@sf/core`. */
  source?: string;
}

const warned = new Set<string>();

/**
 * Warns once per package and event name that `event` is not one an emitter emits, naming the
 * one to use when it is an old library's name (`renamed`), and listing the events it has.
 * Through `process.emitWarning` where there is one (Node.js), else `console.warn`. For emitters
 * built on `node:events`, call it from your `on`/`once` override; core's {@link Emitter} calls
 * it itself when given its `events`.
 *
 * @example
 * warnUnknownEvent('@sf/streaming', 'data', ['message', 'error'], { data: 'message' });
 * // (once) [@sf/streaming] no 'data' event is ever emitted here: listen to 'message' instead
 * // (the events are 'message', 'error')
 */
export function warnUnknownEvent(
  source: string,
  event: string | symbol,
  known: readonly string[],
  renamed: Readonly<Record<string, string>> = {},
): void {
  if (typeof event !== 'string' || known.includes(event)) return;
  const key = `${source}\u0000${event}`;
  if (warned.has(key)) return;
  warned.add(key);
  const list = `the events are ${known.map((e) => `'${e}'`).join(', ')}`;
  const instead = Object.hasOwn(renamed, event) ? `listen to '${renamed[event]}' instead (${list})` : list;
  const message = `[${source}] no '${event}' event is ever emitted here: ${instead}`;
  const proc = (globalThis as { process?: { emitWarning?: (m: string, o: object) => void } }).process;
  if (typeof proc?.emitWarning === 'function') proc.emitWarning(message, { code: 'SF_UNKNOWN_EVENT' });
  else console.warn(message);
}

/** What {@link reportError} needs of an emitter: core's `Emitter` and Node's `EventEmitter` both fit. */
export interface ErrorEmitter {
  listenerCount(event: 'error'): number;
  emit(event: 'error', error: unknown): unknown;
}

/**
 * Reports `error` on an object that is both an emitter and awaitable, by the toolkit's one rule
 * (CONVENTIONS.md rule 5):
 * - with an `error` listener, the listener gets it (the promise side, if used, rejects too: the
 *   caller rejects it);
 * - with no listener but `carried()` true (the promise side is in use: `then`/`await`/`catch`/
 *   `finally`, or a method that returns it), nothing more: that promise carries it alone;
 * - with neither, it is thrown as an uncaught exception, as Node's `EventEmitter` does, because
 *   a failure nobody can see must not be silent.
 *
 * The no-listener case is decided again on a later microtask, so a listener added or a promise
 * used in the same tick as the failure still counts.
 *
 * @example
 * #fail(error: unknown) {
 *   this.#reject(error); // the promise side
 *   reportError(this.#emitter, error, () => this.#awaited);
 * }
 */
export function reportError(emitter: ErrorEmitter, error: unknown, carried: () => boolean): void {
  if (emitter.listenerCount('error') > 0) {
    emitter.emit('error', error);
    return;
  }
  if (carried()) return;
  queueMicrotask(() => {
    if (emitter.listenerCount('error') > 0) emitter.emit('error', error);
    else if (!carried()) throw error;
  });
}

export class Emitter<Events extends { [K in keyof Events]: (...args: any[]) => void }> {
  readonly #listeners = new Map<keyof Events, Set<Events[keyof Events]>>();
  readonly #options: EmitterOptions<Events>;

  /** With `events`, a listener for a name not among them warns once (see {@link warnUnknownEvent}). */
  constructor(options: EmitterOptions<Events> = {}) {
    this.#options = options;
  }

  on<K extends keyof Events>(event: K, listener: Events[K]): this {
    const { events, renamed, source } = this.#options;
    if (events) warnUnknownEvent(source ?? '@sf/core', event as string | symbol, events, renamed);
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  off<K extends keyof Events>(event: K, listener: Events[K]): this {
    this.#listeners.get(event)?.delete(listener);
    return this;
  }

  once<K extends keyof Events>(event: K, listener: Events[K]): this {
    const wrapped = ((...args: Parameters<Events[K]>) => {
      this.off(event, wrapped);
      listener(...args);
    }) as Events[K];
    return this.on(event, wrapped);
  }

  /**
   * Calls every listener. One that throws never breaks the caller (the request, the stream):
   * it is rethrown on a later microtask, where it surfaces as an uncaught exception.
   */
  emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        listener(...args);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  listenerCount(event: keyof Events): number {
    return this.#listeners.get(event)?.size ?? 0;
  }
}
