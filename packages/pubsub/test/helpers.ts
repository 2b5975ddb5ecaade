import { type AuthStrategy, type Connection, createConnection } from '@sf/core';
import { type Emulator, type EmulatorOptions, startEmulator } from '@sf/emulator';
import { afterEach } from 'vitest';
import { PubSubClient } from '../src/index.js';

export interface Harness {
  emu: Emulator;
  conn: Connection;
  client: PubSubClient;
  /** How many times the connection's strategy was asked to renew. */
  refreshes(): number;
  /** Another connection and client to the same emulator (its own renewals). */
  another(): { conn: Connection; client: PubSubClient };
}

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of open.splice(0)) await close();
});

/** An emulator with the Pub/Sub API on, a connection that renews through emu.issueToken(), a client on it. */
export async function harness(options: EmulatorOptions = {}): Promise<Harness> {
  const { pubsub, streaming, ...rest } = options;
  const emu = await startEmulator({
    ...rest,
    pubsub: { keepaliveIntervalMs: 200, ...(typeof pubsub === 'object' ? pubsub : {}) },
    streaming: {
      platformEvents: [{ name: 'Order__e', fields: ['OrderNumber__c', 'Amount__c', 'Big__c', 'Seq__c'] }],
      ...streaming,
    },
  });
  let refreshes = 0;
  const connect = (onRefresh: () => void) => {
    const credentials = () => {
      const t = emu.issueToken();
      return { accessToken: t.accessToken, instanceUrl: t.instanceUrl, id: t.id };
    };
    const strategy: AuthStrategy = {
      getCredentials: async () => credentials(),
      refresh: async () => {
        onRefresh();
        return credentials();
      },
    };
    const conn = createConnection({ instanceUrl: emu.instanceUrl, auth: strategy });
    const client = new PubSubClient(conn, { endpoint: emu.pubsubUrl! });
    open.unshift(async () => client.close());
    return { conn, client };
  };
  const { conn, client } = connect(() => refreshes++);
  open.push(async () => {
    await emu.close();
  });
  return { emu, conn, client, refreshes: () => refreshes, another: () => connect(() => {}) };
}

/** Sequence numbers 0..n-1. */
export const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** Publishes platform events through the REST API (the CometD side), as an org's code would. */
export async function publishRest(conn: Connection, count: number, from = 0): Promise<void> {
  for (let i = from; i < from + count; i++) {
    await conn.post('sobjects/Order__e', { OrderNumber__c: `N-${i}`, Seq__c: i });
  }
}
