// Rows by external id: GET and DELETE /sobjects/{Obj}/{ExtField}/{value}, beside the upsert PATCH.
import { describe, expect, it } from 'vitest';
import { api, useEmulator } from './helpers.js';

describe('sObject rows by external id', () => {
  const emu = useEmulator({
    customObjects: [
      {
        name: 'Invoice__c',
        fields: [
          { name: 'Number__c', type: 'string', externalId: true, unique: true, length: 20 },
          { name: 'Ref__c', type: 'string', externalId: true, length: 20 },
          { name: 'Plain__c', type: 'string', length: 20 },
        ],
      },
    ],
  });

  it('GET reads the row its external id names (with ?fields), as GET by Id does', async () => {
    const created = await api(emu(), 'PATCH', 'sobjects/Invoice__c/Number__c/INV-7', {
      body: { Plain__c: 'x' },
    });
    expect(created.status).toBe(201);
    const read = await api(emu(), 'GET', 'sobjects/Invoice__c/Number__c/INV-7');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      attributes: { type: 'Invoice__c', url: `/services/data/v64.0/sobjects/Invoice__c/${created.body.id}` },
      Id: created.body.id,
      Number__c: 'INV-7',
      Plain__c: 'x',
    });
    const some = await api(emu(), 'GET', 'sobjects/Invoice__c/Number__c/INV-7?fields=Plain__c');
    expect(Object.keys(some.body)).toEqual(['attributes', 'Plain__c']);
  });

  it('GET answers 404 NOT_FOUND for no match and 300 with the URLs for several', async () => {
    const none = await api(emu(), 'GET', 'sobjects/Invoice__c/Number__c/NOPE');
    expect(none.status).toBe(404);
    expect(none.body[0].errorCode).toBe('NOT_FOUND');
    const a = await api(emu(), 'POST', 'sobjects/Invoice__c', { body: { Ref__c: 'dup' } });
    const b = await api(emu(), 'POST', 'sobjects/Invoice__c', { body: { Ref__c: 'DUP' } });
    const several = await api(emu(), 'GET', 'sobjects/Invoice__c/Ref__c/dup');
    expect(several.status).toBe(300);
    expect(several.body).toEqual([
      `/services/data/v64.0/sobjects/Invoice__c/${a.body.id}`,
      `/services/data/v64.0/sobjects/Invoice__c/${b.body.id}`,
    ]);
  });

  it('DELETE by external id answers 204 and the row is gone; a field that is no external id is 404', async () => {
    const deleted = await api(emu(), 'DELETE', 'sobjects/Invoice__c/Number__c/INV-7');
    expect(deleted.status).toBe(204);
    expect((await api(emu(), 'GET', 'sobjects/Invoice__c/Number__c/INV-7')).status).toBe(404);
    const plain = await api(emu(), 'DELETE', 'sobjects/Invoice__c/Plain__c/x');
    expect(plain.status).toBe(404);
    expect(plain.body[0].errorCode).toBe('NOT_FOUND');
  });

  it('blob fields under the same path shape still read as bytes', async () => {
    const acct = await api(emu(), 'POST', 'sobjects/Account', { body: { Name: 'Blob' } });
    const att = await api(emu(), 'POST', 'sobjects/Attachment', {
      body: { ParentId: acct.body.id, Name: 'a.txt', Body: Buffer.from('bytes').toString('base64') },
    });
    const blob = await api(emu(), 'GET', `sobjects/Attachment/${att.body.id}/Body`);
    expect(blob.status).toBe(200);
    expect(blob.text).toBe('bytes');
  });
});
