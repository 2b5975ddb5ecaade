import { type Connection, createConnection } from '@sf/core';
import { bulkSettings, type Emulator, type EmulatorOptions, startEmulator } from '@sf/emulator';
import { afterAll, beforeAll } from 'vitest';

/** One emulator for the file's tests, and a connection to it as its admin. */
export function useOrg(options: EmulatorOptions = {}): () => { emu: Emulator; conn: Connection } {
  let emu: Emulator | undefined;
  let conn: Connection | undefined;
  beforeAll(async () => {
    emu = await startEmulator(options);
    bulkSettings(emu.store).rowsPerTick = 50;
    conn = connect(emu);
  });
  afterAll(async () => {
    await emu?.close();
  });
  return () => {
    if (!emu || !conn) throw new Error('emulator not started');
    return { emu, conn };
  };
}

/** A custom object with an external id, for upserts: `useOrg({ customObjects: [ITEM_OBJECT] })`. */
export const ITEM_OBJECT = {
  name: 'Item__c',
  fields: [
    { name: 'Code__c', type: 'string', externalId: true },
    { name: 'Qty__c', type: 'double' },
  ],
} satisfies NonNullable<EmulatorOptions['customObjects']>[number];

export const fast = { pollIntervalMs: 10, maxPollIntervalMs: 50, pollTimeoutMs: 20_000 };

/** A connection whose strategy renews by asking the emulator for a new token (as a refresh would). */
export function connect(emu: Emulator): Connection {
  let renewals = 0;
  const conn = createConnection({
    instanceUrl: emu.url,
    auth: {
      getCredentials: async () => ({ accessToken: emu.issueToken().accessToken, instanceUrl: emu.url }),
      refresh: async () => {
        renewals += 1;
        return { accessToken: emu.issueToken().accessToken, instanceUrl: emu.url };
      },
    },
  });
  return Object.assign(conn, { renewals: () => renewals });
}

/** What `fn` throws (synchronously or as a rejection), or undefined when it succeeds. */
export async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
