// The emulator's Pub/Sub API seen through a bare grpc-js client (the emulator's tests use no
// client package): auth metadata, GetTopic/GetSchema, num_requested honoured, keepalives,
// replay ids, Publish results. Wire facts from Salesforce's pubsub_api.proto documentation.
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';

const definition = protoLoader.loadSync(
  fileURLToPath(new URL('../src/pubsub/pubsub_api.proto', import.meta.url)),
  {
    longs: String,
    enums: String,
    defaults: true,
  },
);
const PubSub = (grpc.loadPackageDefinition(definition) as any).eventbus.v1.PubSub;

let emu: Emulator | undefined;
let client: any;
afterEach(async () => {
  client?.close();
  await emu?.close();
  emu = undefined;
});

async function setup(keepaliveIntervalMs = 60_000) {
  emu = await startEmulator({
    pubsub: { keepaliveIntervalMs, eventFields: { Order__e: { Seq__c: 'int' } } },
    streaming: { platformEvents: [{ name: 'Order__e', fields: ['Seq__c'] }] },
  });
  client = new PubSub(emu.pubsubUrl!.replace('http://', ''), grpc.credentials.createInsecure());
  const token = emu.issueToken();
  const md = new grpc.Metadata();
  md.set('accesstoken', token.accessToken);
  md.set('instanceurl', emu.instanceUrl);
  md.set('tenantid', emu.orgId);
  return md;
}
const unary = (method: string, request: unknown, md: grpc.Metadata) =>
  new Promise<any>((resolve, reject) =>
    client[method](request, md, (e: unknown, r: unknown) => (e ? reject(e) : resolve(r))),
  );

function publishRest(count: number) {
  const token = emu!.issueToken().accessToken;
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      fetch(`${emu!.url}/services/data/v${emu!.apiVersion}/sobjects/Order__e`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ Seq__c: i }),
      }),
    ),
  );
}

describe('emulator Pub/Sub API', () => {
  it('refuses a call without a valid access token: UNAUTHENTICATED with the auth error-code', async () => {
    const md = await setup();
    md.set('accesstoken', 'nope');
    const error = await unary('GetTopic', { topicName: '/event/Order__e' }, md).catch((e) => e);
    expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(error.metadata.get('error-code')).toEqual(['sfdc.platform.eventbus.grpc.service.auth.error']);
  });

  it('GetTopic and GetSchema: a platform event schema with CreatedDate (long) and CreatedById first', async () => {
    const md = await setup();
    const topic = await unary('GetTopic', { topicName: '/event/Order__e' }, md);
    expect(topic).toMatchObject({
      topicName: '/event/Order__e',
      tenantGuid: emu!.orgId,
      canPublish: true,
      canSubscribe: true,
    });
    const info = await unary('GetSchema', { schemaId: topic.schemaId }, md);
    const schema = JSON.parse(info.schemaJson);
    expect(schema.fields.slice(0, 3)).toMatchObject([
      { name: 'CreatedDate', type: 'long' },
      { name: 'CreatedById', type: 'string' },
      { name: 'Seq__c', type: ['null', 'int'] },
    ]);
    const cdc = await unary('GetTopic', { topicName: '/data/AccountChangeEvent' }, md);
    expect(cdc.canPublish).toBe(false);
    const cdcSchema = JSON.parse((await unary('GetSchema', { schemaId: cdc.schemaId }, md)).schemaJson);
    expect(cdcSchema.fields[0].name).toBe('ChangeEventHeader');
    expect(await unary('GetTopic', { topicName: '/event/Nope__e' }, md).catch((e) => e.code)).toBe(
      grpc.status.NOT_FOUND,
    );
  });

  it('Subscribe sends no more than num_requested, then a keepalive with the latest replay id', async () => {
    const md = await setup(50);
    await publishRest(5);
    const call = client.Subscribe(md);
    const responses: any[] = [];
    const keepalive = new Promise<void>((resolve) =>
      call.on('data', (r: any) => {
        responses.push(r);
        if (responses.length > 2 && r.events.length === 0) resolve();
      }),
    );
    call.on('error', () => {});
    call.write({ topicName: '/event/Order__e', replayPreset: 'EARLIEST', numRequested: 3 });
    await keepalive;
    call.cancel();
    const events = responses.flatMap((r) => r.events);
    expect(events).toHaveLength(3);
    expect(events.every((e: any) => e.replayId.length === 8)).toBe(true);
    const last = responses.at(-1);
    expect(last.pendingNumRequested).toBe(0);
    expect(Buffer.compare(last.latestReplayId, events[2].replayId)).toBe(0);
  });

  it('num_requested above 100 is INVALID_ARGUMENT; a corrupted replay id too, with its error-code', async () => {
    const md = await setup();
    const status = (request: unknown) =>
      new Promise<any>((resolve) => {
        const call = client.Subscribe(md);
        call.on('data', () => {});
        call.on('error', resolve);
        call.write(request);
      });
    expect((await status({ topicName: '/event/Order__e', numRequested: 101 })).code).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
    const corrupted = await status({
      topicName: '/event/Order__e',
      replayPreset: 'CUSTOM',
      replayId: Buffer.from('xx'),
      numRequested: 1,
    });
    expect(corrupted.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(corrupted.metadata.get('error-code')).toEqual([
      'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
    ]);
  });

  it('Publish answers one result per event with a replay id, and the CometD side retains the event', async () => {
    const md = await setup();
    const topic = await unary('GetTopic', { topicName: '/event/Order__e' }, md);
    const bad = { id: 'k2', schemaId: topic.schemaId, payload: Buffer.from([0xff, 0xff]) };
    // A valid Avro record for this schema: CreatedDate 0 (long), CreatedById '' (string), Seq__c null.
    const good = { id: 'k1', schemaId: topic.schemaId, payload: Buffer.from([0x00, 0x00, 0x00]) };
    const response = await unary('Publish', { topicName: '/event/Order__e', events: [good, bad] }, md);
    expect(response.results.map((r: any) => [r.correlationKey, r.error === null])).toEqual([
      ['k1', true],
      ['k2', false],
    ]);
    expect(response.results[0].replayId).toHaveLength(8);
    expect(response.results[1].error.code).toBe('PUBLISH');
    const retained = emu!.streaming.buffer.since('/event/Order__e', -2);
    expect(retained.ok && retained.events).toHaveLength(1);
  });
});
