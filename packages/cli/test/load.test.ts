import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ITEM } from './fixtures.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { built, sfx, tempDir, tokenEnv, useEmulator } from './helpers.js';

const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split(/\r?\n/);

describe.skipIf(!built)('sfx import, update, upsert, delete', () => {
  const emu = useEmulator({ customObjects: [ITEM] });
  let env: Record<string, string>;
  beforeAll(() => {
    env = { ...tokenEnv(emu()), SFX_POLL_INTERVAL_MS: '20' };
  });

  it('import: counts, result files beside the input, exit 3 when a row failed (JSON under --json)', async () => {
    const dir = tempDir();
    const input = join(dir, 'accounts.csv');
    writeFileSync(input, 'Name,NumberOfEmployees\nImp One,1\n"Imp, Two",2\n,3\n');
    const r = await sfx(['import', input, '--object', 'Account', '--json'], env);
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      object: 'Account',
      operation: 'insert',
      state: 'JobComplete',
      uploaded: 3,
      processed: 3,
      succeeded: 2,
      failed: 1,
      unprocessed: 0,
      exitCode: 3,
    });
    expect(out.paths).toEqual({
      success: join(dir, 'accounts-success.csv'),
      failed: join(dir, 'accounts-failed.csv'),
      unprocessed: join(dir, 'accounts-unprocessed.csv'),
    });
    const success = lines(join(dir, 'accounts-success.csv'));
    expect(success[0]).toBe('sf__Id,sf__Created,Name,NumberOfEmployees');
    expect(success).toHaveLength(3);
    expect(success).toContainEqual(expect.stringMatching(/^001\w+,true,"Imp, Two",2$/));
    expect(success).toContainEqual(expect.stringMatching(/^001\w+,true,Imp One,1$/));
    expect(lines(join(dir, 'accounts-failed.csv'))).toEqual([
      'sf__Id,sf__Error,Name,NumberOfEmployees',
      expect.stringMatching(/^,REQUIRED_FIELD_MISSING:.*,,3$/),
    ]);
    expect(readFileSync(join(dir, 'accounts-unprocessed.csv'), 'utf8')).toBe('\n');
    // Without --json: a summary for a person, and plain progress lines on stderr (not a TTY).
    const human = await sfx(['import', input, '--object', 'Account'], env);
    expect(human.code).toBe(3);
    expect(human.stdout).toMatch(
      /^Account insert: 2 succeeded, 1 failed, 0 unprocessed of 3 uploaded \(job 750\w+, JobComplete\)/,
    );
    expect(human.stderr).toMatch(/^job 750\w+ created \(Account insert\)$/m);
    expect(human.stderr).toMatch(/^progress: .*done .*processed 3 .*succeeded 2 .*failed 1/m);
    expect(human.stderr).not.toContain('\x1b[');
  });

  it('all rows succeed: exit 0; update and delete by Id from the success file', async () => {
    const dir = tempDir();
    const input = join(dir, 'ok.csv');
    writeFileSync(input, 'Name\nOk A\nOk B\n');
    const r = await sfx(['import', input, '--object', 'Account', '--json'], env);
    expect(r.code).toBe(0);
    const ids = lines(join(dir, 'ok-success.csv'))
      .slice(1)
      .map((l) => l.split(',')[0] as string);
    const updates = join(dir, 'upd.csv');
    writeFileSync(updates, `Id,Name\n${ids.map((id, i) => `${id},Renamed ${i}`).join('\n')}\n`);
    const u = await sfx(['update', updates, '--object', 'Account', '--json'], env);
    expect(u.code).toBe(0);
    expect(JSON.parse(u.stdout)).toMatchObject({ operation: 'update', succeeded: 2 });
    expect(emu().store.findById(ids[0] as string)?.row.Name).toBe('Renamed 0');
    const deletes = join(dir, 'del.csv');
    writeFileSync(deletes, `Id\n${ids.join('\n')}\n`);
    const d = await sfx(['delete', deletes, '--object', 'Account'], env);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/^Account delete: 2 succeeded, 0 failed/);
  });

  it('upsert needs --external-id (exit 2) and matches on it', async () => {
    const dir = tempDir();
    const input = join(dir, 'items.csv');
    writeFileSync(input, 'Code__c,Qty__c\nA-1,1\nA-2,2\n');
    const missing = await sfx(['upsert', input, '--object', 'Item__c'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error INVALID_ARGUMENT: .*--external-id/);
    const first = await sfx(
      ['upsert', input, '--object', 'Item__c', '--external-id', 'Code__c', '--json'],
      env,
    );
    expect(JSON.parse(first.stdout)).toMatchObject({ succeeded: 2, failed: 0 });
    writeFileSync(input, 'Code__c,Qty__c\nA-1,10\nA-3,3\n');
    const second = await sfx(['upsert', input, '--object', 'Item__c', '--external-id', 'Code__c'], env);
    expect(second.code).toBe(0);
    const created = lines(join(dir, 'items-success.csv'))
      .slice(1)
      .map((l) => l.split(',').slice(1, 3).join(','));
    expect(created.sort()).toEqual(['false,A-1', 'true,A-3']);
    expect([...emu().store.rows('Item__c')].map((r) => [r.Code__c, r.Qty__c]).sort()).toEqual([
      ['A-1', 10],
      ['A-2', 2],
      ['A-3', 3],
    ]);
  });

  it('--column-delimiter and --line-ending take effect: the job reads them, the result files are written in them', async () => {
    const dir = tempDir();
    const input = join(dir, 'semi.csv');
    writeFileSync(input, 'Name;Description\r\nSemi One;a, b\r\nSemi Two;c\r\n');
    const r = await sfx(
      [
        'import',
        input,
        '--object',
        'Account',
        '--column-delimiter',
        'SEMICOLON',
        '--line-ending',
        'CRLF',
        '--json',
      ],
      env,
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ succeeded: 2 });
    const names = [...emu().store.rows('Account')].map((a) => [a.Name, a.Description]);
    expect(names).toContainEqual(['Semi One', 'a, b']);
    const text = readFileSync(join(dir, 'semi-success.csv'), 'utf8');
    expect(text.startsWith('sf__Id;sf__Created;Name;Description\r\n')).toBe(true);
    // A flag the file contradicts is refused before anything is sent, saying what the file has.
    const wrongEnding = await sfx(
      ['import', input, '--object', 'Account', '--column-delimiter', 'SEMICOLON', '--line-ending', 'LF'],
      env,
    );
    expect(wrongEnding.code).toBe(2);
    expect(wrongEnding.stderr).toMatch(/has CRLF line endings but --line-ending LF was given/);
    const wrongDelimiter = await sfx(['import', input, '--object', 'Account'], env);
    expect(wrongDelimiter.code).toBe(2);
    expect(wrongDelimiter.stderr).toMatch(/pass --column-delimiter SEMICOLON/);
  });

  it('--bulk1 loads through Bulk API 1.0, results in input order beside the input', async () => {
    const dir = tempDir();
    const input = join(dir, 'b1.csv');
    writeFileSync(input, 'Name\nB1 One\n\nB1 Three\n'.replace('\n\n', '\n""\n'));
    const r = await sfx(['import', input, '--object', 'Account', '--bulk1', '--json'], env);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ succeeded: 2, failed: 1 });
    expect(lines(join(dir, 'b1-failed.csv'))[1]).toMatch(/^,REQUIRED_FIELD_MISSING:/);
  });
});
