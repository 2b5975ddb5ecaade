import { isSalesforceError, SalesforceError } from '@sf/core';
import { describe, expect, it } from 'vitest';
import { fromCSV, toCSV } from '../src/index.js';

describe('failures are SalesforceErrors from @sf/core, like every package', () => {
  it('a bad argument: code INVALID_ARGUMENT, a prefixed message', () => {
    let caught: unknown;
    try {
      toCSV([], { lineEnding: 'CR' as never });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SalesforceError);
    expect(isSalesforceError(caught, 'INVALID_ARGUMENT')).toBe(true);
    expect((caught as SalesforceError).message).toBe(
      `[@sf/record-stream] toCSV option "lineEnding" must be 'LF' or 'CRLF'`,
    );
  });

  it('malformed CSV: code CSV_PARSE with the line, and csv-parse error as the cause', async () => {
    let caught: unknown;
    try {
      for await (const _ of fromCSV('a,b\n1,2\n"3,4\n')) {
        // read to the failure
      }
    } catch (error) {
      caught = error;
    }
    expect(isSalesforceError(caught, 'CSV_PARSE')).toBe(true);
    const error = caught as SalesforceError;
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message.startsWith('[@sf/record-stream] ')).toBe(true);
  });
});
