// Every test talks to a real emulator over loopback HTTP through a real @sf/core connection.

import { type Connection, createConnection } from '@sf/core';
import { type Emulator, type EmulatorOptions, startEmulator } from '@sf/emulator';
import { afterAll, beforeAll } from 'vitest';

export const CUSTOM_OBJECTS: NonNullable<EmulatorOptions['customObjects']> = [
  {
    name: 'UpsertTable__c',
    fields: [
      { name: 'ExtId__c', type: 'string', externalId: true, length: 20 },
      { name: 'Amount__c', type: 'currency' },
    ],
  },
];

export interface Org {
  emu: Emulator;
  conn: Connection;
}

/** One emulator and one connection for the file's tests. */
export function useOrg(options: EmulatorOptions = {}): () => Org {
  let org: Org | undefined;
  beforeAll(async () => {
    const emu = await startEmulator({ customObjects: CUSTOM_OBJECTS, ...options });
    const conn = createConnection({
      instanceUrl: emu.instanceUrl,
      auth: emu.issueToken().accessToken,
      retry: false,
    });
    org = { emu, conn };
  });
  afterAll(async () => {
    await org?.emu.close();
  });
  return () => {
    if (!org) throw new Error('emulator not started');
    return org;
  };
}

/** Requests the emulator handled under a path prefix since the last reset. */
export function requestsTo(emu: Emulator, prefix: string): number {
  return emu.requests.filter((r) => r.path.includes(prefix)).length;
}
