import { describe, expect, it } from 'vitest';
import { api, useEmulator } from './helpers.js';

describe('describeGlobal and describe', () => {
  const emu = useEmulator({
    customObjects: [
      {
        name: 'Invoice__c',
        label: 'Invoice',
        fields: [
          { name: 'Amount__c', type: 'currency', required: true },
          { name: 'Number__c', type: 'string', externalId: true, unique: true, length: 20 },
          { name: 'Account__c', type: 'reference', referenceTo: 'Account' },
          { name: 'Status__c', type: 'picklist', picklistValues: ['Draft', 'Sent', 'Paid'] },
        ],
      },
    ],
  });

  it('describeGlobal lists standard and custom objects', async () => {
    const res = await api(emu(), 'GET', 'sobjects');
    expect(res.status).toBe(200);
    expect(res.body.encoding).toBe('UTF-8');
    expect(res.body.maxBatchSize).toBe(200);
    const names = res.body.sobjects.map((s: { name: string }) => s.name);
    for (const name of [
      'Account',
      'Contact',
      'Lead',
      'Opportunity',
      'Case',
      'User',
      'Attachment',
      'Document',
      'ContentVersion',
      'PushTopic',
      'Task',
      'Organization',
      'Invoice__c',
    ]) {
      expect(names).toContain(name);
    }
    const account = res.body.sobjects.find((s: { name: string }) => s.name === 'Account');
    expect(account).toMatchObject({
      keyPrefix: '001',
      label: 'Account',
      labelPlural: 'Accounts',
      custom: false,
    });
    expect(account.urls.describe).toBe('/services/data/v64.0/sobjects/Account/describe');
    const invoice = res.body.sobjects.find((s: { name: string }) => s.name === 'Invoice__c');
    expect(invoice).toMatchObject({ keyPrefix: 'a00', custom: true, label: 'Invoice' });
  });

  it('describes Account with realistic fields and child relationships', async () => {
    const res = await api(emu(), 'GET', 'sobjects/Account/describe');
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d.name).toBe('Account');
    const field = (n: string) => d.fields.find((f: { name: string }) => f.name === n);
    expect(field('Id')).toMatchObject({ type: 'id', nillable: false, createable: false, length: 18 });
    expect(field('Name')).toMatchObject({
      type: 'string',
      length: 255,
      nillable: false,
      createable: true,
      nameField: true,
    });
    expect(field('Industry').picklistValues.map((p: { value: string }) => p.value)).toContain('Energy');
    expect(field('ParentId')).toMatchObject({
      type: 'reference',
      referenceTo: ['Account'],
      relationshipName: 'Parent',
    });
    expect(field('CreatedDate')).toMatchObject({ type: 'datetime', createable: false, updateable: false });
    expect(field('BillingCity').compoundFieldName).toBe('BillingAddress');
    expect(field('OwnerId')).toMatchObject({ referenceTo: ['User'], relationshipName: 'Owner' });
    const rel = (name: string) =>
      d.childRelationships.find((c: { relationshipName: string }) => c.relationshipName === name);
    expect(rel('Contacts')).toMatchObject({ childSObject: 'Contact', field: 'AccountId' });
    expect(rel('Opportunities')).toMatchObject({ childSObject: 'Opportunity', field: 'AccountId' });
    expect(rel('Cases')).toMatchObject({ childSObject: 'Case', field: 'AccountId' });
    expect(rel('Attachments')).toMatchObject({ childSObject: 'Attachment', field: 'ParentId' });
    expect(rel('Invoices__r')).toMatchObject({ childSObject: 'Invoice__c', field: 'Account__c' });
  });

  it("marks Salesforce's required fields as not nillable and not defaulted", async () => {
    const required = async (obj: string) => {
      const res = await api(emu(), 'GET', `sobjects/${obj}/describe`);
      return res.body.fields
        .filter((f: any) => !f.nillable && f.createable && !f.defaultedOnCreate)
        .map((f: { name: string }) => f.name)
        .sort();
    };
    expect(await required('Account')).toEqual(['Name']);
    expect(await required('Contact')).toEqual(['LastName']);
    expect(await required('Lead')).toEqual(['Company', 'LastName']);
    expect(await required('Opportunity')).toEqual(['CloseDate', 'Name', 'StageName']);
    expect(await required('Invoice__c')).toEqual(['Amount__c']);
  });

  it('describes Contact.AccountId as a lookup to Account', async () => {
    const res = await api(emu(), 'GET', 'sobjects/contact/describe');
    expect(res.body.name).toBe('Contact');
    const accountId = res.body.fields.find((f: { name: string }) => f.name === 'AccountId');
    expect(accountId).toMatchObject({
      referenceTo: ['Account'],
      relationshipName: 'Account',
      type: 'reference',
    });
  });

  it('describes a custom object with its standard fields', async () => {
    const res = await api(emu(), 'GET', 'sobjects/Invoice__c/describe');
    const names = res.body.fields.map((f: { name: string }) => f.name);
    for (const n of [
      'Id',
      'Name',
      'OwnerId',
      'CreatedDate',
      'LastModifiedDate',
      'SystemModstamp',
      'CreatedById',
      'LastModifiedById',
      'IsDeleted',
      'Amount__c',
    ]) {
      expect(names).toContain(n);
    }
    const amount = res.body.fields.find((f: { name: string }) => f.name === 'Amount__c');
    expect(amount).toMatchObject({
      type: 'currency',
      custom: true,
      precision: 18,
      scale: 2,
      nillable: false,
    });
    const num = res.body.fields.find((f: { name: string }) => f.name === 'Number__c');
    expect(num).toMatchObject({ externalId: true, unique: true, idLookup: true, length: 20 });
    const account = res.body.fields.find((f: { name: string }) => f.name === 'Account__c');
    expect(account).toMatchObject({ referenceTo: ['Account'], relationshipName: 'Account__r' });
  });

  it('basic info has objectDescribe and recentItems', async () => {
    const id = emu().store.insert('Account', { Name: 'Recent' });
    const res = await api(emu(), 'GET', 'sobjects/Account');
    expect(res.status).toBe(200);
    expect(res.body.objectDescribe.name).toBe('Account');
    expect(res.body.recentItems[0]).toMatchObject({ Id: id, Name: 'Recent' });
  });

  it('honours If-Modified-Since with 304', async () => {
    const later = new Date(Date.now() + 60_000).toUTCString();
    const notModified = await api(emu(), 'GET', 'sobjects/Account/describe', {
      headers: { 'if-modified-since': later },
    });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    const global = await api(emu(), 'GET', 'sobjects', { headers: { 'if-modified-since': later } });
    expect(global.status).toBe(304);
    const earlier = new Date(Date.now() - 3_600_000).toUTCString();
    const modified = await api(emu(), 'GET', 'sobjects/Account/describe', {
      headers: { 'if-modified-since': earlier },
    });
    expect(modified.status).toBe(200);
  });

  it('answers 304 until the object is redefined', async () => {
    const before = await api(emu(), 'GET', 'sobjects/Invoice__c/describe');
    const since = before.headers.get('last-modified') ?? '';
    expect(
      (await api(emu(), 'GET', 'sobjects/Invoice__c/describe', { headers: { 'if-modified-since': since } }))
        .status,
    ).toBe(304);
    await new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));
    emu().store.defineObject({
      name: 'Invoice__c',
      fields: [
        { name: 'Amount__c', type: 'currency' },
        { name: 'Memo__c', type: 'textarea' },
      ],
    });
    const after = await api(emu(), 'GET', 'sobjects/Invoice__c/describe', {
      headers: { 'if-modified-since': since },
    });
    expect(after.status).toBe(200);
    expect(after.body.fields.map((f: { name: string }) => f.name)).toContain('Memo__c');
    expect(after.body.keyPrefix).toBe('a00');
  });

  it('answers unknown objects with NOT_FOUND', async () => {
    for (const path of ['sobjects/Nope/describe', 'sobjects/Nope', 'sobjects/Nope/001A0000006Vm9rIAC']) {
      const res = await api(emu(), 'GET', path);
      expect(res.status, path).toBe(404);
      expect(res.body).toEqual([
        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
      ]);
    }
  });
});
