import { createConnection, describeUrl, redact, SalesforceError } from '@sf/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, emulator } from './helpers.js';

const SECRET_KEYS = ['access_token', 'refresh_token', 'token', 'password', 'client_secret', 'code', 'sid'];
const ORDINARY = [
  'OAuth',
  'Bearer',
  'endpoint',
  'token',
  'the',
  'session',
  'expired',
  'password',
  'refused',
  'Salesforce',
  'HTTP',
  '401:',
  'INVALID_SESSION_ID:',
  'Session',
  'or',
  'invalid',
  '2.0',
  'v64.0',
  '(see',
  'docs).',
];

/** Free text of ordinary words: nothing in it is a secret, so all of it must survive. */
const ordinaryText = fc
  .array(
    fc.oneof(
      fc.constantFrom(...ORDINARY),
      fc.stringMatching(/^[A-Za-z]{1,15}$/),
      fc.stringMatching(/^[0-9]{1,6}$/),
    ),
    { maxLength: 12 },
  )
  .map((words) => words.join(' '));

/**
 * What a secret value in a URL or form looks like (percent-encoded, so no spaces, &, #). A
 * colon that ends it before a space reads as punctuation ("?token=abc: 404") and stays.
 */
const urlSecret = fc.stringMatching(/^[A-Za-z0-9!%*+./:=_~-]{0,59}[A-Za-z0-9!%*+./=_~-]$/);

const sessionId = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9]{12}$/), fc.stringMatching(/^[A-Za-z0-9._]{20,60}$/))
  .map(([org, rest]) => `00D${org}!${rest}`);
/** An opaque bearer token: long, and not an ordinary word (has a digit or a symbol). */
const opaqueToken = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9._~+/-]{19,80}$/), fc.constantFrom('1', '.', '-', '_', '9'))
  .map(([body, mark]) => body + mark);

describe('redact: fixtures', () => {
  const cases: Array<[string, string]> = [
    [
      'GET /services/data/v64.0/sobjects/Account/x?token=abc: 404 NOT_FOUND: The requested resource does not exist',
      'GET /services/data/v64.0/sobjects/Account/x?token=[REDACTED]: 404 NOT_FOUND: The requested resource does not exist',
    ],
    ['/cb?state=s1&code=aPrx5&x=1#top', '/cb?state=s1&code=[REDACTED]&x=1#top'],
    ['POST /token?a=1&password=hunter2 failed', 'POST /token?a=1&password=[REDACTED] failed'],
    [
      'grant_type=password&username=u%40x.com&password=p%40ss&client_secret=s3cr3t',
      'grant_type=password&username=u%40x.com&password=[REDACTED]&client_secret=[REDACTED]',
    ],
    ['the OAuth endpoint refused the request', 'the OAuth endpoint refused the request'],
    ['Bearer token expired; log in again', 'Bearer token expired; log in again'],
    ['OAuth 2.0 web-server flow', 'OAuth 2.0 web-server flow'],
    [
      'Authorization: Bearer 00D5g000004ABCDE!AQ4AQFnJhc.Xyz_abcdefghijklmnop was refused',
      'Authorization: Bearer [REDACTED] was refused',
    ],
    [
      'header OAuth eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl, then 401',
      'header OAuth [REDACTED], then 401',
    ],
    ['session 00D5g000004ABCDE!AQ4AQFnJhc.Xyz_abcdefghijklmnop is gone', 'session [REDACTED] is gone'],
    [
      '{"access_token":"00D5g000004ABCDE!AQ4AQFnJhc","instance_url":"https://x.my.salesforce.com","refreshToken":"5Aep8"}',
      '{"access_token":"[REDACTED]","instance_url":"https://x.my.salesforce.com","refreshToken":"[REDACTED]"}',
    ],
    [
      '<result><sessionId>00D5g!AQ4AQ</sessionId><serverUrl>https://x</serverUrl></result>',
      '<result><sessionId>[REDACTED]</sessionId><serverUrl>https://x</serverUrl></result>',
    ],
    ['<urn:password>hunter2</urn:password>', '<urn:password>[REDACTED]</urn:password>'],
    ['see \'?token=abc\' and "?sid=def"', 'see \'?token=[REDACTED]\' and "?sid=[REDACTED]"'],
  ];
  it.each(cases)('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('describeUrl keeps the path and every other parameter', () => {
    expect(describeUrl('https://x.my.salesforce.com/services/oauth2/token?code=abc&state=ok')).toBe(
      '/services/oauth2/token?code=[REDACTED]&state=ok',
    );
  });
});

describe('redact: properties', () => {
  it('ordinary text survives unchanged', () => {
    fc.assert(fc.property(ordinaryText, (text) => redact(text) === text));
  });

  it('a secret after a key in a URL never survives, and the text around it does', () => {
    fc.assert(
      fc.property(
        ordinaryText,
        fc.constantFrom(...SECRET_KEYS),
        urlSecret,
        fc.constantFrom('', '&state=ok', '#frag'),
        ordinaryText,
        (before, key, secret, rest, after) => {
          const input = `${before} GET /p?x=1&${key}=${secret}${rest} ${after}`;
          return redact(input) === `${before} GET /p?x=1&${key}=[REDACTED]${rest} ${after}`;
        },
      ),
    );
  });

  it('a secret in JSON never survives, and the rest of the JSON does', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('access_token', 'refresh_token', 'client_secret', 'password', 'accessToken'),
        fc.string({ maxLength: 40 }).filter((s) => !/["\\]/.test(s)),
        ordinaryText,
        (key, secret, after) => {
          const input = `{"${key}": "${secret}", "note": "${after}"}`;
          return redact(input) === `{"${key}": "[REDACTED]", "note": "${after}"}`;
        },
      ),
    );
  });

  it('a token after Bearer or OAuth never survives; the words around it do', () => {
    fc.assert(
      fc.property(
        ordinaryText,
        fc.constantFrom('Bearer', 'OAuth', 'bearer'),
        fc.oneof(sessionId, opaqueToken),
        ordinaryText,
        (before, scheme, token, after) =>
          redact(`${before} ${scheme} ${token} ${after}`) === `${before} ${scheme} [REDACTED] ${after}`,
      ),
    );
  });

  it('a session id anywhere never survives', () => {
    fc.assert(
      fc.property(ordinaryText, sessionId, ordinaryText, (before, id, after) => {
        return redact(`${before} ${id} ${after}`) === `${before} [REDACTED] ${after}`;
      }),
    );
  });
});

describe('redaction in errors over HTTP', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await emulator();
  });
  afterAll(() => emu.close());

  it('keeps the status and Salesforce’s message when the URL carries ?token=', async () => {
    const token = emu.issueToken();
    const conn = createConnection({ instanceUrl: emu.instanceUrl, auth: token.accessToken, retry: false });
    const err = (await conn
      .get('sobjects/Account/001000000000000AAA', { query: { token: 'abc123secret' } })
      .catch((e: unknown) => e)) as SalesforceError;
    expect(err).toBeInstanceOf(SalesforceError);
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain('?token=[REDACTED]');
    expect(err.message).toMatch(/404 NOT_FOUND: \S/);
    expect(err.url).toBe(
      `/services/data/v${conn.apiVersion}/sobjects/Account/001000000000000AAA?token=[REDACTED]`,
    );
    for (const text of [err.message, JSON.stringify(err), err.stack ?? '']) {
      expect(text).not.toContain('abc123secret');
      expect(text).not.toContain(token.accessToken);
    }
  });
});
