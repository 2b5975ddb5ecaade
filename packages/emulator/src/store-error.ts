/**
 * A failure the org reports for a record operation, carrying Salesforce's error code, so every
 * route (REST, collections, Bulk) can answer in its own wire shape from one validation.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly errorCode: string;
  readonly fields: string[];
  /** HTTP status the REST API uses for this failure. */
  readonly status: number;

  constructor(errorCode: string, message: string, options: { fields?: string[]; status?: number } = {}) {
    super(message);
    this.errorCode = errorCode;
    this.fields = options.fields ?? [];
    this.status = options.status ?? 400;
  }

  /** Salesforce's REST error entry; `fields` is omitted when Salesforce omits it. */
  toJSON(): { message: string; errorCode: string; fields?: string[] } {
    return this.fields.length > 0 || this.errorCode === 'ENTITY_IS_DELETED'
      ? { message: this.message, errorCode: this.errorCode, fields: this.fields }
      : { message: this.message, errorCode: this.errorCode };
  }
}
