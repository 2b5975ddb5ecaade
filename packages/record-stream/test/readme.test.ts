// The README's examples, run as written (file paths moved into a temporary directory).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRecordStream, createRecordWritable, fromCSV, RecordStream, toCSV } from '../src/index.js';

describe('README examples', () => {
  it('Quick start: export contacts to CSV and read them back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'record-stream-'));
    const file = join(dir, 'contacts.csv');

    // --- README: quick start ---
    async function* contacts() {
      yield { attributes: { type: 'Contact' }, Id: '003A', Name: 'Ada', Account: { Name: 'Acme, Inc.' } };
      yield { attributes: { type: 'Contact' }, Id: '003B', Name: 'Grace', Account: null };
    }

    await pipeline(
      RecordStream.from(contacts())
        .filter((c) => c.Name !== 'Nobody')
        .toCSV({ columns: ['Id', 'Name', 'Account.Name'] }),
      createWriteStream(file),
    );
    // contacts.csv:
    // Id,Name,Account.Name
    // 003A,Ada,"Acme, Inc."
    // 003B,Grace,

    const back = await fromCSV(createReadStream(file), {
      emptyAsNull: true,
      collapseNullParents: true,
    }).toArray();
    // [{ Id: '003A', Name: 'Ada', Account: { Name: 'Acme, Inc.' } }, { Id: '003B', Name: 'Grace', Account: null }]
    // --- end ---

    expect(await readFile(file, 'utf8')).toBe('Id,Name,Account.Name\n003A,Ada,"Acme, Inc."\n003B,Grace,\n');
    expect(back).toEqual([
      { Id: '003A', Name: 'Ada', Account: { Name: 'Acme, Inc.' } },
      { Id: '003B', Name: 'Grace', Account: null },
    ]);
  });

  it('Producer API: pages pulled on demand', async () => {
    const server = [
      { records: [{ Id: '1' }, { Id: '2' }], nextRecordsUrl: '/page2' },
      { records: [{ Id: '3' }] },
    ];
    const getJson = async (url: string, _init: { signal: AbortSignal }) => server[url === '/page1' ? 0 : 1]!;

    // --- README: producer ---
    let next: string | undefined = '/page1';
    const records = createRecordStream<{ Id: string }>(async (_stream, signal) => {
      if (next === undefined) return null;
      const page = await getJson(next, { signal });
      next = page.nextRecordsUrl;
      return page.records;
    });
    // --- end ---

    expect(await records.toArray()).toEqual([{ Id: '1' }, { Id: '2' }, { Id: '3' }]);
  });

  it('Writable record streams: batches of 200 into a writer', async () => {
    const inserted: number[] = [];
    const insertMany = async (rows: { Id: string }[]) => void inserted.push(rows.length);
    const query = RecordStream.from(Array.from({ length: 450 }, (_, i) => ({ Id: String(i) })));

    // --- README: writable ---
    await pipeline(
      query.batch(200),
      createRecordWritable(async (rows: { Id: string }[]) => {
        await insertMany(rows);
      }),
    );
    // --- end ---

    expect(inserted).toEqual([200, 200, 50]);
  });

  it('toCSV standalone form accepts any iterable', async () => {
    let out = '';
    for await (const chunk of toCSV([{ Id: '1', Owner: { Name: 'Ada' } }])) out += chunk;
    expect(out).toBe('Id,Owner.Name\n1,Ada\n');
  });
});

describe('packaging', () => {
  const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  // dist/ exists after `tsc -b` (`pnpm test` builds first); Node >= 20.19 can require() ESM.
  it.skipIf(!existsSync(dist))('can be loaded with require()', () => {
    const script = `const m = require(${JSON.stringify(dist)}); console.log(typeof m.RecordStream, typeof m.fromCSV, typeof m.toCSV);`;
    expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim()).toBe(
      'function function function',
    );
  });
});
