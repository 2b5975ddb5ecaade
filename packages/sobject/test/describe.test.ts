// describe / describeGlobal seed examples and the per-connection cache.

import { createConnection } from '@sf/core';
import { describe as group, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import {
  clearDescribeCache,
  describe,
  describeGlobal,
  generateTypes,
  generateTypesFor,
  sobject,
} from '../src/index.js';
import { requestsTo, useOrg } from './helpers.js';

group('describe', () => {
  const org = useOrg();

  it('conn.sobject("Account").describe(): label and fields', async () => {
    const { conn } = org();
    const meta = await sobject(conn, 'Account').describe();
    expect(meta.label).toBe('Account');
    expect(meta.fields.length).toBeGreaterThan(10);
    expect(meta.fields.find((f) => f.name === 'Name')).toMatchObject({ type: 'string', nillable: false });
  });

  it('conn.describeGlobal(): number of sObjects', async () => {
    const { conn } = org();
    const res = await describeGlobal(conn);
    expect(res.sobjects.length).toBeGreaterThan(5);
    expect(res.sobjects.map((s) => s.name)).toContain('UpsertTable__c');
  });

  it('answers from the cache, per connection, until cleared', async () => {
    const { emu, conn } = org();
    clearDescribeCache(conn);
    emu.resetRequests();
    await describe(conn, 'Contact');
    await describe(conn, 'contact');
    expect(requestsTo(emu, '/describe')).toBe(1);
    const other = createConnection({
      instanceUrl: emu.instanceUrl,
      auth: emu.issueToken().accessToken,
      retry: false,
    });
    await describe(other, 'Contact');
    expect(requestsTo(emu, '/describe')).toBe(2);
    clearDescribeCache(conn, 'Contact');
    await describe(conn, 'Contact');
    expect(requestsTo(emu, '/describe')).toBe(3);
  });

  it('revalidates with If-Modified-Since: 304 keeps the cached copy', async () => {
    const { emu, conn } = org();
    const first = await describe(conn, 'Lead', { cache: 'reload' });
    emu.resetRequests();
    const again = await describe(conn, 'Lead', { cache: 'revalidate' });
    expect(again).toBe(first);
    expect(emu.requests.map((r) => r.status)).toEqual([304]);
    const global = await describeGlobal(conn, { cache: 'reload' });
    expect(await describeGlobal(conn, { cache: 'revalidate' })).toBe(global);
  });

  it('a changed object is fetched again on revalidation', async () => {
    const { emu, conn } = org();
    emu.store.defineObject({ name: 'Later__c', fields: [{ name: 'A__c', type: 'string' }] });
    const before = await describe(conn, 'Later__c');
    // Metadata times have one-second precision: redefine with a later stamp.
    await new Promise((r) => setTimeout(r, 1100));
    emu.store.defineObject({
      name: 'Later__c',
      fields: [
        { name: 'A__c', type: 'string' },
        { name: 'B__c', type: 'string' },
      ],
    });
    const after = await describe(conn, 'Later__c', { cache: 'revalidate' });
    expect(after).not.toBe(before);
    expect(after.fields.map((f) => f.name)).toContain('B__c');
  });

  it('nforce: getVersions, getResources, getSObjects, getMetadata, getDescribe', async () => {
    const { emu, conn } = org();
    expect((await conn.versions()).map((v) => v.version)).toContain('64.0');
    expect(await conn.resources()).toHaveProperty('sobjects');
    expect((await describeGlobal(conn)).sobjects.length).toBeGreaterThan(5);
    const id = emu.store.insert('Lead', { LastName: 'Meta', Company: 'Co' });
    const info = await sobject(conn, 'Lead').basicInfo();
    expect(info.objectDescribe.name).toBe('Lead');
    expect(info.recentItems.map((r) => r.Id)).toContain(id);
    expect((await describe(conn, 'Lead')).fields.some((f) => f.name === 'Company')).toBe(true);
  });

  it('generateTypes writes interfaces from describes', async () => {
    const { conn } = org();
    const text = generateTypes([await describe(conn, 'Account'), await describe(conn, 'Contact')]);
    expect(text).toContain('export interface Account {');
    expect(text).toMatch(/ {2}Name\?: string;/);
    expect(text).toMatch(/ {2}AccountId\?: string \| null;/);
    expect(text).toMatch(/ {2}Account\?: Account \| null;/);
    expect(text).toMatch(/NumberOfEmployees\?: number \| null;/);
  });

  it('generateTypesFor: every object of the org gives valid TypeScript', async () => {
    const { conn } = org();
    const names = (await describeGlobal(conn)).sobjects.map((o) => o.name);
    const text = await generateTypesFor(conn, names);
    // A full type check (duplicate members, unknown types), not only a parse.
    const dir = await mkdtemp(join(tmpdir(), 'sobject-types-'));
    const file = join(dir, 'sobjects.ts');
    await writeFile(file, text);
    const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, types: [] });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    await rm(dir, { recursive: true });
    expect(problems).toEqual([]);
    const interfaces = [...text.matchAll(/^export interface (\w+) \{/gm)].map((m) => m[1]);
    expect(interfaces.filter((n) => n !== 'CompoundAddress')).toEqual(names);
  });
});
