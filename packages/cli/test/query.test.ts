import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { built, sfx, spawnSfx, tempDir, tokenEnv, useEmulator } from './helpers.js';

describe.skipIf(!built)('sfx query and sfx export', () => {
  const emu = useEmulator();
  let env: Record<string, string>;
  const soql =
    "SELECT Id, Name, NumberOfEmployees, Owner.Name FROM Account WHERE Name LIKE 'Q%' ORDER BY Name";
  beforeAll(() => {
    for (const [Name, n] of [
      ['Q1 Corp', 10],
      ['Q2, Inc.', 20],
      ['Q3 "Quoted"', 30],
    ] as const) {
      emu().store.insert('Account', { Name, NumberOfEmployees: n });
    }
    const gone = emu().store.insert('Account', { Name: 'Q9 Deleted' });
    emu().store.delete('Account', gone);
    env = tokenEnv(emu());
  });

  it('query prints a table by default (parents as dotted columns, then the count)', async () => {
    const r = await sfx(['query', soql], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Id\s+Name\s+NumberOfEmployees\s+Owner\.Name$/);
    expect(lines[1]).toMatch(/^─+\s+─+/);
    expect(lines[2]).toMatch(/Q1 Corp\s+10\s+\S/);
    expect(lines.at(-1)).toBe('3 records');
  });

  it('query --format csv quotes what needs it; json is one array; ndjson one object a line', async () => {
    const csv = await sfx(['query', soql, '--format', 'csv'], env);
    expect(csv.stdout.split('\n')[0]).toBe('Id,Name,NumberOfEmployees,Owner.Name');
    expect(csv.stdout).toContain('"Q2, Inc.",20,');
    expect(csv.stdout).toContain('"Q3 ""Quoted""",30,');
    const json = await sfx(['query', soql, '--format', 'json'], env);
    const array = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(array.map((a) => a.Name)).toEqual(['Q1 Corp', 'Q2, Inc.', 'Q3 "Quoted"']);
    expect(array[0]).not.toHaveProperty('attributes');
    expect(array[0]?.Owner).toEqual({ Name: expect.any(String) });
    const nd = await sfx(['query', soql, '--format', 'ndjson'], env);
    const lines = nd.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { Name: string });
    expect(lines.map((l) => l.Name)).toEqual(['Q1 Corp', 'Q2, Inc.', 'Q3 "Quoted"']);
  });

  it('query --json is one object: records, totalSize, done', async () => {
    const r = await sfx(['query', soql, '--json'], env);
    expect(JSON.parse(r.stdout)).toEqual({ records: expect.any(Array), totalSize: 3, done: true });
    const none = await sfx(['query', "SELECT Id FROM Account WHERE Name = 'nobody'", '--json'], env);
    expect(JSON.parse(none.stdout)).toEqual({ records: [], totalSize: 0, done: true });
  });

  it('query --all-rows includes deleted records; --out writes the file (format from its extension)', async () => {
    const dir = tempDir();
    const out = join(dir, 'accounts.ndjson');
    const r = await sfx(
      ['query', "SELECT Id, Name FROM Account WHERE Name LIKE 'Q%'", '--all-rows', '--out', out, '--json'],
      env,
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ records: 4, file: out, format: 'ndjson' });
    const names = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { Name: string }).Name);
    expect(names).toContain('Q9 Deleted');
  });

  it('export (Bulk API 2.0) writes every format, to stdout or a file, and names its job', async () => {
    const bulkSoql = "SELECT Id, Name, NumberOfEmployees FROM Account WHERE Name LIKE 'Q%'";
    const csv = await sfx(['export', bulkSoql, '--format', 'csv'], env);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\n')[0]).toBe('Id,Name,NumberOfEmployees');
    expect(csv.stdout).toContain('"Q2, Inc.",20');
    const json = await sfx(['export', bulkSoql, '--format', 'json'], env);
    expect((JSON.parse(json.stdout) as unknown[]).length).toBe(3);
    const nd = await sfx(['export', bulkSoql, '--format', 'ndjson'], env);
    expect(nd.stdout.trim().split('\n')).toHaveLength(3);
    const table = await sfx(['export', bulkSoql], env);
    expect(table.stdout.trimEnd().split('\n').at(-1)).toBe('3 records');
    const dir = tempDir();
    const file = join(dir, 'out.json');
    const r = await sfx(['export', bulkSoql, '--out', file, '--json'], env);
    expect(JSON.parse(r.stdout)).toEqual({
      jobId: expect.stringMatching(/^750/),
      records: 3,
      file,
      format: 'json',
    });
    expect((JSON.parse(readFileSync(file, 'utf8')) as unknown[]).length).toBe(3);
    const all = await sfx(['export', bulkSoql, '--all-rows', '--format', 'ndjson'], env);
    expect(all.stdout.trim().split('\n')).toHaveLength(4);
  });

  it('a bad query exits 1 with the API error on one line; a bad --format exits 2', async () => {
    const bad = await sfx(['query', 'SELECT Nope FROM Account'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^error \w+: .*Nope/);
    const json = await sfx(['query', 'SELECT Nope FROM Account', '--json'], env);
    expect(JSON.parse(json.stdout)).toEqual({
      error: expect.objectContaining({ code: expect.any(String), message: expect.stringContaining('Nope') }),
    });
    const format = await sfx(['query', soql, '--format', 'xml'], env);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(
      /^error INVALID_ARGUMENT: .*--format must be one of table, csv, json, ndjson/,
    );
  });

  it('without an org, exit 4 and say how to log in', async () => {
    const r = await sfx(['query', soql], { SFX_CONFIG_DIR: tempDir() });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^error AUTH_FAILED: .*sfx login/);
  });

  it('Ctrl-C aborts the request in flight: exit 130 and one line saying so', async () => {
    emu().faults.latency(20_000, { path: /\/query/ });
    try {
      const out = join(tempDir(), 'slow.csv');
      const child = spawnSfx(['query', soql, '--out', out], env);
      const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
      let stderr = '';
      await new Promise<void>((resolve) => {
        child.stderr?.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (stderr.includes('querying')) resolve();
        });
      });
      child.kill('SIGINT');
      expect(await exit).toBe(130);
      expect(stderr).toMatch(/^error INTERRUPTED: .*interrupted \(Ctrl-C\)/m);
    } finally {
      emu().faults.latency(0);
    }
  });
});
