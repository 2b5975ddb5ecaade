// Test helpers: one emulator per test file, reached over loopback HTTP through a real connection.
import { type Connection, createConnection } from '@sf/core';
import { type Emulator, startEmulator } from '@sf/emulator';
import { afterAll, beforeAll } from 'vitest';

export interface TestOrg {
  emu: Emulator;
  conn: Connection;
}

export interface UseOrgOptions {
  /** Query cursor inactivity timeout. */
  cursorTtlMs?: number;
  childBatchSize?: number;
}

/** Starts an emulator for the file's tests; closes it afterwards. */
export function useOrg(options: UseOrgOptions = {}): () => TestOrg {
  let org: TestOrg | undefined;
  beforeAll(async () => {
    const emu = await startEmulator({
      query: {
        ...(options.cursorTtlMs === undefined ? {} : { ttlMs: options.cursorTtlMs }),
        ...(options.childBatchSize === undefined ? {} : { childBatchSize: options.childBatchSize }),
      },
    });
    const token = emu.issueToken();
    const conn = createConnection({ instanceUrl: emu.instanceUrl, auth: token.accessToken, retry: false });
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

/** Inserts `count` Accounts named `${prefix} 00001`..., in name order; returns their ids. */
export function seedAccounts(
  emu: Emulator,
  count: number,
  prefix = 'Account',
  extra: Record<string, unknown> = {},
): string[] {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    ids.push(emu.store.insert('Account', { Name: `${prefix} ${String(i).padStart(5, '0')}`, ...extra }));
  }
  return ids;
}

/** Requests the emulator saw to query resources (first pages and nextRecordsUrl pages). */
export function queryRequests(emu: Emulator): number {
  return emu.requests.filter((r) => /\/services\/data\/v[\d.]+\/query(All)?(\/|$)/.test(r.path)).length;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
