// Custom fields on standard objects (SLA__c on Account, from the nforce README), and the standard
// Folder rows a Document needs.
import { describe, expect, it } from 'vitest';
import { api, useEmulator } from './helpers.js';

describe('custom fields on a standard object', () => {
  const emu = useEmulator({
    customObjects: [
      {
        name: 'Account',
        fields: [
          { name: 'SLA__c', type: 'picklist', picklistValues: ['Gold', 'Silver', 'Platinum', 'Bronze'] },
          { name: 'Region__c', type: 'reference', referenceTo: 'Account' },
        ],
      },
    ],
  });

  it('are written, read and described beside the standard fields, keeping the key prefix', async () => {
    const created = await api(emu(), 'POST', 'sobjects/Account', {
      body: { Name: 'Spiffy Cleaners', Phone: '800-555-2345', SLA__c: 'Gold' },
    });
    expect(created.status).toBe(201);
    expect(created.body.id.startsWith('001')).toBe(true);
    const read = await api(emu(), 'GET', `sobjects/Account/${created.body.id}`);
    expect(read.body).toMatchObject({ Name: 'Spiffy Cleaners', SLA__c: 'Gold', Region__c: null });
    const d = await api(emu(), 'GET', 'sobjects/Account/describe');
    expect(d.body.custom).toBe(false);
    expect(d.body.fields.find((f: any) => f.name === 'SLA__c')).toMatchObject({
      custom: true,
      type: 'picklist',
    });
    expect(d.body.fields.find((f: any) => f.name === 'Industry')).toBeDefined();
    expect(d.body.childRelationships.map((c: any) => c.relationshipName)).toEqual(
      expect.arrayContaining(['Contacts', 'ChildAccounts']),
    );
    const q = await api(
      emu(),
      'GET',
      `query?q=${encodeURIComponent("SELECT Name FROM Account WHERE SLA__c = 'Gold'")}`,
    );
    expect(q.body.totalSize).toBe(1);
  });

  it('a picklist value outside the declared ones is refused as on a custom object', async () => {
    const refused = await api(emu(), 'POST', 'sobjects/Account', { body: { Name: 'X', Unknown__c: 1 } });
    expect(refused.status).toBe(400);
    expect(refused.body[0].errorCode).toBe('INVALID_FIELD');
  });

  it('store.defineObject adds fields to a standard object with its rows kept', async () => {
    const id = emu().store.insert('Contact', { LastName: 'Kept' });
    emu().store.defineObject({ name: 'Contact', fields: [{ name: 'Tier__c', type: 'string' }] });
    emu().store.update('Contact', id, { Tier__c: 'A' });
    expect(emu().store.get('Contact', id)).toMatchObject({ LastName: 'Kept', Tier__c: 'A' });
  });
});

describe('standard folders', () => {
  const emu = useEmulator();

  it('a Document can be filed in a seeded Document folder found by query', async () => {
    const folders = await api(
      emu(),
      'GET',
      `query?q=${encodeURIComponent("SELECT Id, Name, DeveloperName FROM Folder WHERE Type = 'Document'")}`,
    );
    expect(folders.body.totalSize).toBeGreaterThan(0);
    const folderId = folders.body.records[0].Id;
    const doc = await api(emu(), 'POST', 'sobjects/Document', {
      body: { Name: 'readme.txt', FolderId: folderId, Body: Buffer.from('hi').toString('base64') },
    });
    expect(doc.status).toBe(201);
    const body = await api(emu(), 'GET', `sobjects/Document/${doc.body.id}/Body`);
    expect(body.text).toBe('hi');
  });
});
