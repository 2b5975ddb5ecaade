// Every test drives a client over loopback HTTP against a real emulator, as an app would.

import { type Emulator, type EmulatorOptions, startEmulator } from '@sf/emulator';
import { afterAll, beforeAll } from 'vitest';
import { type ClientOptions, createClient, type SalesforceClient } from '../src/index.js';

export interface Org {
  emu: Emulator;
  sf: SalesforceClient;
}

/** One emulator and one client (holding a token the emulator issued) for the file's tests. */
export function useOrg(options: EmulatorOptions = {}, client: ClientOptions = {}): () => Org {
  let org: Org | undefined;
  beforeAll(async () => {
    const emu = await startEmulator(options);
    const sf = createClient({
      instanceUrl: emu.instanceUrl,
      auth: emu.issueToken().accessToken,
      retry: false,
      bulk: { pollIntervalMs: 20 },
      ...client,
    });
    org = { emu, sf };
  });
  afterAll(async () => {
    await org?.sf.close();
    await org?.emu.close();
  });
  return () => {
    if (!org) throw new Error('emulator not started');
    return org;
  };
}
