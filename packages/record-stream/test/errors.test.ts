import { describe, expect, it } from 'vitest';
import { RecordStreamError } from '../src/index.js';

describe('RecordStreamError', () => {
  it('carries a code, a cause, a line and a prefixed message', () => {
    const cause = new Error('inner');
    const error = new RecordStreamError('CSV_PARSE', 'bad quote', { cause, line: 7 });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('RecordStreamError');
    expect(error.code).toBe('CSV_PARSE');
    expect(error.cause).toBe(cause);
    expect(error.line).toBe(7);
    expect(error.message).toBe('[@sf/record-stream] bad quote');
    expect('cause' in new RecordStreamError('INVALID_ARGUMENT', 'x')).toBe(false);
  });

  it('is recognised by instanceof across installed copies through its Symbol.for brand', () => {
    // What another copy's error looks like to this copy: a different class with the same brand.
    class OtherCopyError extends Error {}
    Object.defineProperty(OtherCopyError.prototype, Symbol.for('@sf/record-stream.error'), { value: true });
    expect(new OtherCopyError('x')).toBeInstanceOf(RecordStreamError);
    expect(new Error('x')).not.toBeInstanceOf(RecordStreamError);
    expect((null as unknown as object) instanceof RecordStreamError).toBe(false);
  });

  it('keeps ordinary instanceof for subclasses', () => {
    class SubError extends RecordStreamError {}
    expect(new SubError('INVALID_RECORD', 'x')).toBeInstanceOf(SubError);
    expect(new RecordStreamError('INVALID_RECORD', 'x')).not.toBeInstanceOf(SubError);
    expect(new SubError('INVALID_RECORD', 'x')).toBeInstanceOf(RecordStreamError);
  });
});
