/** The reasons a record stream fails; stable strings, safe to switch on. */
export type RecordStreamErrorCode =
  /** The CSV input is malformed (unclosed quote, wrong number of fields, duplicate header). */
  | 'CSV_PARSE'
  /** A function of this package was called with an argument it cannot use. */
  | 'INVALID_ARGUMENT'
  /** A record cannot travel through a stream: `null`/`undefined`, not an object, or conflicting fields. */
  | 'INVALID_RECORD';

/** Options of {@link RecordStreamError}. */
export interface RecordStreamErrorOptions {
  /** The underlying error, when one exists (for example csv-parse's `CsvError`). */
  cause?: unknown;
  /** The 1-based line of the CSV input the error is about. */
  line?: number;
}

// A global symbol, so two installed copies of this package recognise each other's errors.
const BRAND = Symbol.for('@sf/record-stream.error');
const PREFIX = '[@sf/record-stream] ';

/**
 * The one error class of `@sf/record-stream`. It carries a string `code` to switch on, the
 * underlying error as `cause`, and for CSV input the `line` it is about; its message starts with
 * `[@sf/record-stream]`. `instanceof RecordStreamError` is true for errors made by any installed
 * copy of the package, because it checks a `Symbol.for` brand rather than the prototype chain.
 *
 * @example
 * ```ts
 * try {
 *   for await (const row of fromCSV(text)) console.log(row);
 * } catch (error) {
 *   if (error instanceof RecordStreamError && error.code === 'CSV_PARSE') console.error(error.line);
 * }
 * ```
 */
export class RecordStreamError extends Error {
  override readonly name = 'RecordStreamError';
  readonly code: RecordStreamErrorCode;
  readonly line?: number;

  constructor(code: RecordStreamErrorCode, message: string, options: RecordStreamErrorOptions = {}) {
    super(
      message.startsWith(PREFIX) ? message : PREFIX + message,
      'cause' in options ? { cause: options.cause } : {},
    );
    this.code = code;
    if (options.line !== undefined) this.line = options.line;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses keep ordinary instanceof; only the base class answers by brand. `this` is the
    // class on the right of instanceof, which is exactly what must be compared.
    // biome-ignore lint/complexity/noThisInStatic: `this` is the constructor instanceof asks about
    if (this !== RecordStreamError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

Object.defineProperty(RecordStreamError.prototype, BRAND, { value: true });
