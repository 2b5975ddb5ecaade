import { describe, expect, it } from 'vitest';
import { idChecksum, normalizeId } from '../src/index.js';
import { api, useEmulator } from './helpers.js';

describe('Salesforce ids', () => {
  it('converts real 15-character ids to their 18-character form', () => {
    expect(normalizeId('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(normalizeId('0015000000VALDt')).toBe('0015000000VALDtAAP');
    expect(idChecksum('000000000000000')).toBe('AAA');
    expect(idChecksum('AAAAAAAAAAAAAAA')).toBe('555');
  });

  it('accepts a correct 18-character id (suffix in any case) and rejects a wrong suffix or shape', () => {
    expect(normalizeId('001A0000006Vm9rIAC')).toBe('001A0000006Vm9rIAC');
    expect(normalizeId('001A0000006Vm9riac')).toBe('001A0000006Vm9rIAC');
    expect(normalizeId('001A0000006Vm9rAAA')).toBeUndefined();
    expect(normalizeId('xyz')).toBeUndefined();
    expect(normalizeId('001A0000006Vm9r!')).toBeUndefined();
  });

  const emu = useEmulator();

  it('mints 18-character ids with the object key prefix and a valid suffix', async () => {
    const ids: string[] = [];
    for (const [obj, body, prefix] of [
      ['Account', { Name: 'A' }, '001'],
      ['Contact', { LastName: 'C' }, '003'],
      ['Lead', { LastName: 'L', Company: 'Co' }, '00Q'],
      ['Opportunity', { Name: 'O', StageName: 'Prospecting', CloseDate: '2026-12-01' }, '006'],
      ['Case', { Subject: 'S' }, '500'],
      ['Task', { Subject: 'Call' }, '00T'],
    ] as const) {
      const res = await api(emu(), 'POST', `sobjects/${obj}`, { body });
      expect(res.status).toBe(201);
      const id: string = res.body.id;
      expect(id).toMatch(/^[a-zA-Z0-9]{18}$/);
      expect(id.slice(0, 3)).toBe(prefix);
      expect(normalizeId(id.slice(0, 15))).toBe(id);
      ids.push(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(emu().orgId.startsWith('00D')).toBe(true);
  });

  it('reads a record by its 15-character id', async () => {
    const id = emu().store.insert('Account', { Name: 'Short id' });
    const res = await api(emu(), 'GET', `sobjects/Account/${id.slice(0, 15)}`);
    expect(res.status).toBe(200);
    expect(res.body.Id).toBe(id);
  });
});
