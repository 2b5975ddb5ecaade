// Core's refusal of per-call credentials: nforce's multi-user mode (its README in shared/seeds/)
// passes the user's oauth object as an extra argument (`org.query(q, oauth)`), which would
// otherwise be ignored and the call run as the connection's user.
import { describe, expect, it } from 'vitest';
import {
  createConnection,
  credentialsRefused,
  isSalesforceError,
  refuseCallback,
  refuseCredentials,
  refuseOldArguments,
} from '../src/index.js';

const TOKEN = '00Dxx0000001gPL!AQ4AQFakeTokenValue';
const REFRESH = '5Aep861FakeRefreshValue';
/** nforce's oauth object: the OAuth token response. */
const oauth = {
  access_token: TOKEN,
  instance_url: 'https://na1.salesforce.com',
  id: 'https://login.salesforce.com/id/00Dx/005x',
  issued_at: '1278448101416',
  signature: 'CMJ4l+CCaPQiKjoOEwEig9H4wqhpuLSk4J2urAe+fVg=',
  refresh_token: REFRESH,
};

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('refuseOldArguments', () => {
  it('refuses an oauth object anywhere after the connection, naming its keys and none of its values', () => {
    const conn = createConnection({ instanceUrl: 'https://na1.salesforce.com', auth: TOKEN });
    const error = thrown(() =>
      refuseOldArguments('@sf/demo', 'query()', [conn, 'SELECT Id FROM Account', oauth]),
    );
    // A typed INVALID_ARGUMENT from the named package, naming the call, the keys and what to write.
    expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(error.message).toMatch(/^\[@sf\/demo\] query\(\) takes no credentials/);
    expect(error.message).toContain('access_token, instance_url, refresh_token');
    expect(error.message).toContain('conn.withAuth({ accessToken, instanceUrl })');
    expect(error.message).toContain('createMultiUser');
    // No value of the object is in the message: not the token, nor anything else.
    for (const value of Object.values(oauth)) expect(error.message).not.toContain(value);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });

  it("refuses nforce's object form { query, oauth } and the camelCase keys in options", () => {
    expect(() =>
      refuseOldArguments('@sf/demo', 'query()', [{ query: 'SELECT Id FROM Account', oauth }]),
    ).toThrow(/takes no credentials \(an argument has oauth\)/);
    for (const key of ['accessToken', 'sessionId', 'refreshToken']) {
      const error = thrown(() => refuseOldArguments('@sf/demo', 'retrieve()', ['001x', { [key]: TOKEN }]));
      expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
      expect(error.message).toContain(`has ${key})`);
      expect(error.message).not.toContain(TOKEN);
    }
  });

  it('lets records with ordinary fields, a record whose field is named accessToken, and { signal, timeoutMs } through', () => {
    const conn = createConnection({ instanceUrl: 'https://na1.salesforce.com', auth: TOKEN });
    const rules = { data: [1] };
    expect(() =>
      refuseOldArguments(
        '@sf/demo',
        'create()',
        [conn, { Name: 'Acme', Token__c: 'x' }, { signal: AbortSignal.timeout(1000), timeoutMs: 5000 }],
        rules,
      ),
    ).not.toThrow();
    // In a data position, only the token-response keys are refused.
    expect(() =>
      refuseOldArguments('@sf/demo', 'create()', [conn, { accessToken: 'a field' }], rules),
    ).not.toThrow();
    expect(() => refuseOldArguments('@sf/demo', 'create()', [conn, { access_token: TOKEN }], rules)).toThrow(
      /has access_token\)/,
    );
    // An opaque argument (an Apex REST body) is the caller's: not looked at.
    expect(() =>
      refuseOldArguments('@sf/demo', 'post()', ['Tokens', oauth, {}], { opaque: [1] }),
    ).not.toThrow();
    // Arrays, strings, buffers and the connection itself are not searched.
    expect(() =>
      refuseOldArguments('@sf/demo', 'x()', [
        conn,
        [oauth],
        'access_token',
        Buffer.from('x'),
        undefined,
        null,
      ]),
    ).not.toThrow();
  });

  it('refuses a callback as refuseCallback does, which stays exported and unchanged', () => {
    expect(() => refuseOldArguments('@sf/demo', 'describe()', ['Account', () => {}])).toThrow(
      /^\[@sf\/demo\] describe\(\) takes no callback: it returns a promise/,
    );
    expect(() => refuseOldArguments('@sf/demo', 'run()', [() => {}], { instead: 'use await' })).toThrow(
      'takes no callback: use await',
    );
    // refuseCallback is for @sf/auth, where token-bearing arguments are legitimate.
    expect(() => refuseCallback('@sf/auth', 'refresh()', [{ refreshToken: REFRESH }])).not.toThrow();
    expect(() => refuseCredentials('@sf/demo', 'x()', [{ refresh_token: REFRESH }])).toThrow(/refresh_token/);
    expect(credentialsRefused('@sf/demo', 'x()', ['oauth']).message).not.toContain('undefined');
  });
});
