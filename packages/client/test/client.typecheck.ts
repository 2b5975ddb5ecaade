// The client is fully typed: each method has the type of the package function it stands for,
// with the connection filled in. These checks are made by `tsc -p tsconfig.test.json` (this file is
// never run: vitest runs *.test.ts only); a wrong type fails the type-check.

import type { Bulk1, IngestJob, LoadOperation, WithBulk } from '@sf/bulk';
import type { Connection, Credentials } from '@sf/core';
import type { PubSubClient } from '@sf/pubsub';
import type { FindQuery, Query, SearchResult } from '@sf/query';
import type { RecordStream } from '@sf/record-stream';
import type { ExecuteAnonymousResult, SaveResult, SaveSuccess, SObject } from '@sf/sobject';
import type { StreamingClient, StreamingMessage, Subscription } from '@sf/streaming';
import { describe, expectTypeOf, it } from 'vitest';
import { createClient, type SalesforceClient, type ToolingClient, type UserInfo } from '../src/index.js';

interface Account {
  Id: string;
  Name: string;
}

describe('types', () => {
  it('each method has its package function type', () => {
    const sf = createClient({ instanceUrl: 'https://example.my.salesforce.com', auth: 'token' });
    expectTypeOf(sf).toEqualTypeOf<SalesforceClient>();
    expectTypeOf(sf.connection).toEqualTypeOf<Connection>();
    expectTypeOf(sf.query<Account>('SELECT Id, Name FROM Account')).toEqualTypeOf<Query<Account>>();
    expectTypeOf(sf.find<Account>('Account', { Name: 'x' })).toEqualTypeOf<FindQuery<Account>>();
    expectTypeOf(sf.search<Account>('FIND {x}')).resolves.toEqualTypeOf<SearchResult<Account>>();
    expectTypeOf(sf.sobject<Account>('Account')).toEqualTypeOf<WithBulk<SObject<Account>>>();
    expectTypeOf(sf.sobject<Account>('Account').create({ Name: 'x' })).resolves.toEqualTypeOf<SaveSuccess>();
    expectTypeOf(sf.sobject<Account>('Account').create([{ Name: 'x' }])).resolves.toEqualTypeOf<
      SaveResult[]
    >();
    expectTypeOf(sf.sobject('Account').insertBulk([])).toEqualTypeOf<LoadOperation>();
    expectTypeOf(sf.bulk).toEqualTypeOf<Bulk1>();
    expectTypeOf(sf.bulk2.load('Account', 'insert', [])).toEqualTypeOf<LoadOperation>();
    expectTypeOf(sf.bulk2.job('750')).toEqualTypeOf<IngestJob>();
    expectTypeOf(sf.bulk2.query('SELECT Id FROM Account')).toEqualTypeOf<
      RecordStream<Record<string, unknown>>
    >();
    expectTypeOf(sf.tooling).toEqualTypeOf<ToolingClient>();
    expectTypeOf(sf.tooling.executeAnonymous('x')).resolves.toEqualTypeOf<ExecuteAnonymousResult>();
    expectTypeOf(sf.subscribe('/event/Order__e')).toEqualTypeOf<Subscription<StreamingMessage>>();
    expectTypeOf(sf.topic('AllAccounts').subscribe()).toEqualTypeOf<Subscription<StreamingMessage>>();
    expectTypeOf(sf.streaming).toEqualTypeOf<StreamingClient>();
    expectTypeOf(sf.pubsub.client).toEqualTypeOf<PubSubClient>();
    expectTypeOf(sf.login('u', 'p')).resolves.toEqualTypeOf<UserInfo>();
    expectTypeOf(
      sf.on('refresh', (c) => expectTypeOf(c).toEqualTypeOf<Credentials>()),
    ).toEqualTypeOf<SalesforceClient>();
    // @ts-expect-error: no such event
    sf.on('data', () => {});
    // @ts-expect-error: a callback is not an options object
    sf.query('SELECT Id FROM Account', (_err: unknown) => {});
  });
});
