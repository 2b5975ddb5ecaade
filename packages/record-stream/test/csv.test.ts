import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SalesforceError } from '@sf/core';
import { fromCSV, RecordStream, toCSV } from '../src/index.js';
import { text } from './helpers.js';

const contact = {
  attributes: { type: 'Contact', url: '/services/data/v60.0/sobjects/Contact/003' },
  Id: '003',
  Name: 'Ada, "the" Countess\nof Lovelace',
  Account: {
    attributes: { type: 'Account' },
    Name: 'Acme',
    Owner: { attributes: { type: 'User' }, Name: 'Grace' },
  },
  Birthdate: new Date(Date.UTC(1815, 11, 10)),
  HasOptedOutOfEmail: false,
  DoNotCall: true,
  Fax: null,
  NumberOfEmployees: 42,
  Cases: { totalSize: 1, done: true, records: [{ Id: '500' }] },
};

describe('toCSV', () => {
  it('flattens parents, drops attributes, skips child results and formats values', async () => {
    expect(await text(toCSV([contact]))).toBe(
      'Id,Name,Account.Name,Account.Owner.Name,Birthdate,HasOptedOutOfEmail,DoNotCall,Fax,NumberOfEmployees\n' +
        '003,"Ada, ""the"" Countess\nof Lovelace",Acme,Grace,1815-12-10T00:00:00.000Z,false,true,,42\n',
    );
  });

  it('takes the header from the first record: extra keys ignored, missing ones empty', async () => {
    const csv = await text(toCSV([{ Id: '1', Name: 'a' }, { Name: 'b', Extra: 'x' }, { Id: '3' }]));
    expect(csv).toBe('Id,Name\n1,a\n,b\n3,\n');
  });

  it('writes empty cells for every known column of a null parent', async () => {
    const csv = await text(
      toCSV([{ Id: '1', Account: null }], { columns: ['Id', 'Account.Name', 'Account.Owner.Name'] }),
    );
    expect(csv).toBe('Id,Account.Name,Account.Owner.Name\n1,,\n');
  });

  it('honours columns, header, delimiter, lineEnding and bom', async () => {
    const records = [{ Id: '1', Name: 'a;b', Account: { Name: 'Acme' } }];
    expect(await text(toCSV(records, { columns: ['Account.Name', 'Id'], header: false }))).toBe('Acme,1\n');
    expect(await text(toCSV(records, { delimiter: ';', lineEnding: 'CRLF' }))).toBe(
      'Id;Name;Account.Name\r\n1;"a;b";Acme\r\n',
    );
    expect(await text(toCSV(records, { columns: ['Id'], bom: true }))).toBe('\uFEFFId\n1\n');
  });

  it('writes only the header for no records with explicit columns, nothing otherwise', async () => {
    expect(await text(toCSV([], { columns: ['Id', 'Name'] }))).toBe('Id,Name\n');
    expect(await text(toCSV([]))).toBe('');
  });

  it('writes arrays and other objects as JSON, undefined as empty, bytes as base64', async () => {
    const csv = await text(
      toCSV([{ A: [1, 'x'], B: undefined, C: new Uint8Array([104, 105]), D: 10n, E: new Date(Number.NaN) }]),
    );
    expect(csv).toBe('A,B,C,D,E\n"[1,""x""]",,aGk=,10,\n');
  });

  it('is available as RecordStream#toCSV and accepts async sources', async () => {
    async function* records(): AsyncGenerator<{ Id: string }> {
      yield { Id: '1' };
      yield { Id: '2' };
    }
    expect(await text(RecordStream.from(records()).toCSV())).toBe('Id\n1\n2\n');
  });

  it('returns a byte stream', async () => {
    const chunks: unknown[] = [];
    for await (const chunk of toCSV([{ Id: '1' }])) chunks.push(chunk);
    expect(chunks.every((chunk) => Buffer.isBuffer(chunk))).toBe(true);
  });

  it('fails the output with the source error', async () => {
    async function* failing(): AsyncGenerator<object> {
      yield { Id: '1' };
      throw new Error('query failed');
    }
    await expect(text(toCSV(failing()))).rejects.toThrow('query failed');
  });

  it('fails the output on a record that is not an object', async () => {
    await expect(text(toCSV([{ Id: '1' }, 7 as never]))).rejects.toMatchObject({ code: 'INVALID_RECORD' });
  });

  it('stops the source when its consumer stops', async () => {
    let cleanedUp = false;
    function* endless(): Generator<object> {
      try {
        for (let i = 0; ; i++) yield { Id: String(i) };
      } finally {
        cleanedUp = true;
      }
    }
    const csv = toCSV(endless());
    for await (const _ of csv) break;
    await new Promise((resolve) => setImmediate(resolve));
    expect(cleanedUp).toBe(true);
  });

  it('validates options', () => {
    expect(() => toCSV([], { delimiter: '"' })).toThrow(SalesforceError);
    expect(() => toCSV([], { delimiter: '' })).toThrow(/delimiter/);
    expect(() => toCSV([], { lineEnding: 'CR' as never })).toThrow(/lineEnding/);
    expect(() => toCSV([], { columns: 'Id' as never })).toThrow(/columns/);
    expect(() => toCSV([], { highWaterMark: -1 })).toThrow(/highWaterMark/);
  });
});

describe('fromCSV', () => {
  it('rebuilds dotted columns into parents, values as strings', async () => {
    const records = await fromCSV('Id,Account.Name,Account.Owner.Name\n1,Acme,Grace\n').toArray();
    expect(records).toEqual([{ Id: '1', Account: { Name: 'Acme', Owner: { Name: 'Grace' } } }]);
  });

  it('handles a BOM, CRLF, and quoted delimiters, quotes and line breaks', async () => {
    const csv = '\uFEFFId,Name\r\n1,"a, ""b""\r\nc"\r\n2,plain\r\n';
    expect(await fromCSV(csv).toArray()).toEqual([
      { Id: '1', Name: 'a, "b"\r\nc' },
      { Id: '2', Name: 'plain' },
    ]);
  });

  it('reads empty fields as "" by default and as null with emptyAsNull', async () => {
    const csv = 'Id,Fax,Account.Name\n1,,\n';
    expect(await fromCSV(csv).toArray()).toEqual([{ Id: '1', Fax: '', Account: { Name: '' } }]);
    expect(await fromCSV(csv, { emptyAsNull: true }).toArray()).toEqual([
      { Id: '1', Fax: null, Account: { Name: null } },
    ]);
    expect(await fromCSV(csv, { emptyAsNull: true, collapseNullParents: true }).toArray()).toEqual([
      { Id: '1', Fax: null, Account: null },
    ]);
  });

  it("casts with 'auto', a function or per column", async () => {
    const csv = 'a,b,c,d,e,f\ntrue,42,-1.5,007,1e3,x\n';
    expect(await fromCSV(csv, { cast: 'auto' }).toArray()).toEqual([
      { a: true, b: 42, c: -1.5, d: '007', e: '1e3', f: 'x' },
    ]);
    expect(await fromCSV('a,b\n1,\n', { cast: (v, column) => `${column}=${v}` }).toArray()).toEqual([
      { a: 'a=1', b: 'b=' },
    ]);
    const perColumn = await fromCSV('Id,Account.NumberOfEmployees,Note\n1,,x\n2,5,y\n', {
      emptyAsNull: true,
      cast: { 'Account.NumberOfEmployees': Number },
    }).toArray();
    expect(perColumn).toEqual([
      { Id: '1', Account: { NumberOfEmployees: null }, Note: 'x' },
      { Id: '2', Account: { NumberOfEmployees: 5 }, Note: 'y' },
    ]);
  });

  it('reads Readables, Buffers and async iterables of chunks split inside characters', async () => {
    const bytes = Buffer.from('Name\nZoë 🚀\n', 'utf8');
    const chunks = Array.from(bytes, (byte) => Uint8Array.of(byte));
    async function* gen(): AsyncGenerator<Uint8Array> {
      yield* chunks;
    }
    const expected = [{ Name: 'Zoë 🚀' }];
    expect(await fromCSV(bytes).toArray()).toEqual(expected);
    expect(await fromCSV(Readable.from(chunks)).toArray()).toEqual(expected);
    expect(await fromCSV(gen()).toArray()).toEqual(expected);
    expect(await fromCSV(['Na', 'me\nx\n']).toArray()).toEqual([{ Name: 'x' }]);
  });

  it('skips blank lines with several columns, keeps them as empty values with one', async () => {
    expect(await fromCSV('a,b\n1,2\n\n3,4\n\n').toArray()).toEqual([
      { a: '1', b: '2' },
      { a: '3', b: '4' },
    ]);
    expect(await fromCSV('a\n1\n\n2\n').toArray()).toEqual([{ a: '1' }, { a: '' }, { a: '2' }]);
  });

  it('yields nothing for empty input or a header alone', async () => {
    expect(await fromCSV('').toArray()).toEqual([]);
    expect(await fromCSV('Id,Name\n').toArray()).toEqual([]);
  });

  it('honours the delimiter option', async () => {
    expect(await fromCSV('a;b\n1;"x;y"\n', { delimiter: ';' }).toArray()).toEqual([{ a: '1', b: 'x;y' }]);
  });

  it.each([
    ['an unclosed quote', 'Id,Name\n1,ok\n2,"open\n', 3],
    ['a quote inside an unquoted field', 'Id,Name\n1,ok\n2,bad"quote\n', 3],
    ['too few fields', 'Id,Name\n1,ok\n2\n', 3],
    ['too many fields', 'Id,Name\n1,ok,extra\n', 2],
    ['a duplicate column', 'Id,Id\n1,2\n', 1],
  ])('fails with CSV_PARSE naming the line on %s', async (_name, csv, line) => {
    const stream = fromCSV(csv);
    const error = await new Promise<unknown>((resolve) => {
      stream.on('error', resolve);
      stream.resume();
    });
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({ code: 'CSV_PARSE', line });
    expect((error as Error).message).toMatch(new RegExp(`^\\[@sf/record-stream\\] .*line ${line}`));
  });

  it('fails with INVALID_RECORD when a plain and a dotted column both hold values', async () => {
    await expect(fromCSV('Account,Account.Name\nx,y\n').toArray()).rejects.toMatchObject({
      code: 'INVALID_RECORD',
      line: 2,
    });
    // An empty plain column gives way to the parent.
    expect(await fromCSV('Account,Account.Name\n,y\n').toArray()).toEqual([{ Account: { Name: 'y' } }]);
  });

  it('passes an input stream error through unchanged', async () => {
    const error = new Error('disk failed');
    const input = new Readable({
      read() {
        this.push('Id\n1\n');
        this.destroy(error);
      },
    });
    await expect(fromCSV(input).toArray()).rejects.toBe(error);
  });

  it('does not pollute prototypes from a hostile header', async () => {
    const [record] = await fromCSV('__proto__.polluted,constructor.prototype.x\nyes,no\n').toArray();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(record!)).toEqual(['__proto__', 'constructor']);
  });

  it('is aborted with signal.reason', async () => {
    const reason = new Error('cancelled');
    await expect(fromCSV('a\n1\n', { signal: AbortSignal.abort(reason) }).toArray()).rejects.toBe(reason);
  });

  it('validates options', () => {
    expect(() => fromCSV('a', { delimiter: '\n' })).toThrow(SalesforceError);
    expect(() => fromCSV('a', { cast: 'typed' as never })).toThrow(/cast/);
    expect(() => fromCSV('a', { cast: { a: 1 as never } })).toThrow(/cast/);
    expect(() => fromCSV(42 as never)).toThrow(/fromCSV expects/);
  });
});
