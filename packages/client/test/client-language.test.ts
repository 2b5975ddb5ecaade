// The refusals of the old libraries' habits, as the client's user meets them: a listener or a
// callback passed to a client method, and nforce's or jsforce's connection options passed to
// createClient, must name the client's call and the client's way to write it (not "it returns
// a promise" for a Subscription, not createConnection() for createClient's options), and send
// nothing. Option values are never echoed.
import { describe, expect, it } from 'vitest';
import { createClient, isSalesforceError } from '../src/index.js';
import { useOrg } from './helpers.js';

/** A call made from plain JavaScript, with arguments its types do not allow. */
type AnyCall = (...args: unknown[]) => unknown;
const js = (fn: unknown) => fn as AnyCall;

const org = useOrg({ streaming: { platformEvents: [{ name: 'Order__e' }] } });
const listener = () => {};

/** The INVALID_ARGUMENT message `run` throws synchronously. */
function refusal(run: () => unknown): string {
  try {
    const value = run() as { unsubscribe?: () => Promise<void> } | undefined;
    void value?.unsubscribe?.();
  } catch (error) {
    expect(isSalesforceError(error, 'INVALID_ARGUMENT'), String(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('the call was accepted');
}

describe('a listener or callback given to a client method that returns no promise', () => {
  it("sf.subscribe(channel, fn): says to write sf.subscribe(channel).on('message', fn), nothing sent", () => {
    const { emu, sf } = org();
    emu.resetRequests();
    const usage = "it returns a Subscription. Write `sf.subscribe(channel).on('message', fn)`";
    for (const message of [
      refusal(() => js(sf.subscribe)('/event/Order__e', listener)),
      refusal(() => js(sf.subscribe)('/event/Order__e', {}, listener)),
    ]) {
      expect(message).toContain(`[@sf/client] subscribe() takes no callback: ${usage}`);
      expect(message).not.toContain('returns a promise');
    }
    expect(emu.requests.length).toBe(0);
  });

  it('sf.topic(name).subscribe(options, fn) and (fn, options, fn) are refused instead of dropping fn', () => {
    const { emu, sf } = org();
    emu.resetRequests();
    const usage =
      "it returns a Subscription. Write `sf.topic(name).subscribe(fn, options)` or `sf.topic(name).subscribe(options).on('message', fn)`";
    for (const message of [
      refusal(() => js(sf.topic('Orders').subscribe)({}, listener)),
      refusal(() => js(sf.topic('Orders').subscribe)(listener, {}, listener)),
      refusal(() => js(sf.topic('Orders').subscribe)(listener, listener)),
    ]) {
      expect(message).toContain(`[@sf/client] topic(name).subscribe() takes no callback: ${usage}`);
    }
    expect(refusal(() => js(sf.topic)('Orders', listener))).toContain(
      '[@sf/client] topic() takes no callback: it returns a Topic. Write `sf.topic(name).subscribe(fn)`',
    );
    expect(emu.requests.length).toBe(0);
  });

  it('sf.sobject(type, fn), sf.bulk2.load/query/queryAll(..., fn): name what they return', () => {
    const { emu, sf } = org();
    emu.resetRequests();
    expect(refusal(() => js(sf.sobject)('Account', listener))).toContain(
      '[@sf/client] sobject() takes no callback: it returns the sObject (no request yet). Write `await sf.sobject(type).create(record)`',
    );
    expect(refusal(() => js(sf.bulk2.load)('Account', 'insert', [{ Name: 'x' }], listener))).toContain(
      '[@sf/client] bulk2.load() takes no callback: it returns a LoadOperation. Write `const result = await sf.bulk2.load(object, operation, input)`',
    );
    for (const call of ['query', 'queryAll'] as const) {
      const message = refusal(() => js(sf.bulk2[call])('SELECT Id FROM Account', listener));
      expect(message).toContain(
        `[@sf/client] bulk2.${call}() takes no callback: it returns a RecordStream. Write \`for await (const record of sf.bulk2.${call}(soql))\``,
      );
      expect(message).not.toContain('returns a promise');
    }
    expect(emu.requests.length).toBe(0);
  });

  it('sf.pubsub.subscribe/managedSubscribe/publish(..., fn) are refused instead of dropping fn', async () => {
    const { sf } = org();
    for (const message of [
      refusal(() => js(sf.pubsub.subscribe)('/event/Order__e', listener)),
      refusal(() => js(sf.pubsub.subscribe)('/event/Order__e', {}, listener)),
    ]) {
      expect(message).toContain(
        "[@sf/client] pubsub.subscribe() takes no callback: it returns a Subscription. Write `sf.pubsub.subscribe(topic).on('event', fn)`",
      );
    }
    expect(refusal(() => js(sf.pubsub.managedSubscribe)({ subscriptionId: '0XS' }, listener))).toContain(
      "[@sf/client] pubsub.managedSubscribe() takes no callback: it returns a ManagedSubscription. Write `sf.pubsub.managedSubscribe(options).on('event', fn)`",
    );
    const published = js(sf.pubsub.publish)('/event/Order__e', [{}], {}, listener) as Promise<unknown>;
    await expect(published).rejects.toThrow(
      '[@sf/client] pubsub.publish() takes no callback: it returns a promise. Write `const results = await sf.pubsub.publish(topic, events)`',
    );
  });
});

describe("the client's own session and job methods name the client's call, not the package's", () => {
  it('sf.login/authorize/logout(..., fn) say sf.login(...), not oauth2.password(); nothing sent', async () => {
    const { emu } = org();
    emu.resetRequests();
    const sf = createClient({
      oauth2: { clientId: 'id', loginUrl: emu.loginUrl, redirectUri: 'http://127.0.0.1/cb' },
    });
    await expect(js(sf.login)('user@example.com', 'the-password-value', {}, listener)).rejects.toThrow(
      '[@sf/client] login() takes no callback: it returns a promise. Write `const userInfo = await sf.login(username, password)`',
    );
    await expect(js(sf.login)('user@example.com', 'the-password-value', listener)).rejects.toThrow(
      '[@sf/client] login() takes no callback',
    );
    await expect(js(sf.authorize)('the-code', listener)).rejects.toThrow(
      '[@sf/client] authorize() takes no callback: it returns a promise. Write `const userInfo = await sf.authorize(code)`',
    );
    await expect(js(sf.logout)(listener)).rejects.toThrow(
      '[@sf/client] logout() takes no callback: it returns a promise. Write `await sf.logout()`',
    );
    expect(refusal(() => js(sf.getAuthorizationUrl)({}, listener))).toContain(
      '[@sf/client] getAuthorizationUrl() takes no callback: it returns { url, state }. Write `const { url, state } = sf.getAuthorizationUrl(options)`',
    );
    expect(emu.requests.length).toBe(0);
  });

  it('sf.bulk2.createJob/job(..., fn) and sf.tooling.sobject(type, fn) name the client method', async () => {
    const { emu, sf } = org();
    emu.resetRequests();
    await expect(
      js(sf.bulk2.createJob)({ object: 'Account', operation: 'insert' }, listener),
    ).rejects.toThrow(
      '[@sf/client] bulk2.createJob() takes no callback: it returns a promise. Write `const job = await sf.bulk2.createJob(options)`',
    );
    expect(refusal(() => js(sf.bulk2.job)('750000000000001AAA', listener))).toContain(
      '[@sf/client] bulk2.job() takes no callback: it returns an IngestJob (no request yet). Write `const info = await sf.bulk2.job(id).wait()`',
    );
    expect(refusal(() => js(sf.tooling.sobject)('ApexClass', listener))).toContain(
      'Write `await sf.tooling.sobject(type).create(record)`',
    );
    expect(emu.requests.length).toBe(0);
  });
});

describe("createClient and nforce's or jsforce's connection options", () => {
  /** createClient's refusal of `options`, with the emulator's instance and a token. */
  function refused(options: Record<string, unknown>): string {
    const { emu } = org();
    emu.resetRequests();
    const message = refusal(() =>
      createClient({ instanceUrl: emu.instanceUrl, auth: emu.issueToken().accessToken, ...options }),
    );
    expect(message).toMatch(/^\[@sf\/client\] createClient\(\) does not take /);
    expect(message).not.toContain('createConnection');
    // (Short values such as mode's 'multi' are words of the guidance itself.)
    for (const value of Object.values(options))
      if (typeof value === 'string' && value.length > 8) expect(message).not.toContain(value);
    expect(emu.requests.length).toBe(0);
    return message;
  }

  it('nforce: clientId/clientSecret/redirectUri go into oauth2, the login into sf.login()', () => {
    const message = refused({
      clientId: 'the-client-id-value',
      clientSecret: 'the-client-secret-value',
      redirectUri: 'http://localhost:3000/oauth/_callback',
    });
    expect(message).toContain(
      '`clientId`, `clientSecret`, `redirectUri`: createClient({ oauth2: { clientId, clientSecret, redirectUri } })',
    );
    expect(refused({ username: 'someone@example.com', password: 'the-password-value' })).toContain(
      '`username`, `password`: `await sf.login(username, password)` after createClient',
    );
    expect(refused({ securityToken: 'the-token-value' })).toContain('password + securityToken');
  });

  it('the login host is createClient({ loginUrl }) or environment, the version apiVersion', () => {
    expect(refused({ loginUri: 'https://test.salesforce.com/services/oauth2/token' })).toContain(
      "`loginUri`: createClient({ loginUrl }) (or environment: 'sandbox' for https://test.salesforce.com): where sf.login() goes",
    );
    expect(refused({ version: '58.0' })).toContain("`version`: apiVersion (e.g. '64.0')");
  });

  it("nforce's mode, oauth, autoRefresh and onRefresh name the client's way", () => {
    expect(refused({ mode: 'multi' })).toContain('`mode`: multi-user is one client per user');
    expect(refused({ oauth: { access_token: 'x' } })).toContain(
      '`oauth`: createClient({ instanceUrl, accessToken, refreshToken, oauth2 })',
    );
    expect(refused({ autoRefresh: true })).toContain('`autoRefresh`: nothing');
    expect(refused({ onRefresh: listener })).toContain("`onRefresh`: sf.on('refresh', (credentials) => ...)");
  });

  it("the client's own names (loginUrl, environment, accessToken, serverUrl, oauth2) are still taken", () => {
    const { emu } = org();
    const sf = createClient({
      instanceUrl: emu.instanceUrl,
      accessToken: emu.issueToken().accessToken,
      loginUrl: emu.instanceUrl,
      oauth2: { clientId: 'id', loginUrl: emu.instanceUrl },
    });
    expect(sf.connection.instanceUrl).toBe(emu.instanceUrl);
  });
});
