import { describe, expect, it } from 'vitest';
import { api, useEmulator } from './helpers.js';

const SF_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;

describe('sObject rows', () => {
  const emu = useEmulator({
    customObjects: [
      {
        name: 'Invoice__c',
        fields: [
          { name: 'Amount__c', type: 'currency' },
          { name: 'Number__c', type: 'string', externalId: true, unique: true, length: 10 },
          { name: 'Paid__c', type: 'boolean' },
          { name: 'Due__c', type: 'date' },
        ],
      },
    ],
  });

  it('create, read, update, delete round trip with system fields', async () => {
    const created = await api(emu(), 'POST', 'sobjects/Account', {
      body: { Name: 'Acme', NumberOfEmployees: 12, BillingCity: 'Paris' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), success: true, errors: [] });
    const id: string = created.body.id;

    const read = await api(emu(), 'GET', `sobjects/Account/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.attributes).toEqual({
      type: 'Account',
      url: `/services/data/v64.0/sobjects/Account/${id}`,
    });
    expect(read.body).toMatchObject({
      Id: id,
      Name: 'Acme',
      NumberOfEmployees: 12,
      IsDeleted: false,
      Phone: null,
    });
    expect(read.body.BillingAddress).toMatchObject({ city: 'Paris', street: null });
    expect(read.body.CreatedDate).toMatch(SF_DATETIME);
    expect(read.body.SystemModstamp).toMatch(SF_DATETIME);
    const userId = emu().issueToken().id.split('/').at(-1);
    expect(read.body.CreatedById).toBe(userId);
    expect(read.body.OwnerId).toBe(userId);

    const patched = await api(emu(), 'PATCH', `sobjects/Account/${id}`, {
      body: { Industry: 'Energy', phone: '555' },
    });
    expect(patched.status).toBe(204);
    expect(patched.text).toBe('');
    const some = await api(emu(), 'GET', `sobjects/Account/${id}?fields=Name,industry,Phone`);
    expect(some.body).toEqual({
      attributes: { type: 'Account', url: `/services/data/v64.0/sobjects/Account/${id}` },
      Name: 'Acme',
      Industry: 'Energy',
      Phone: '555',
    });

    const deleted = await api(emu(), 'DELETE', `sobjects/Account/${id}`);
    expect(deleted.status).toBe(204);
    const gone = await api(emu(), 'GET', `sobjects/Account/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    const again = await api(emu(), 'DELETE', `sobjects/Account/${id}`);
    expect(again.status).toBe(404);
    expect(again.body[0].errorCode).toBe('ENTITY_IS_DELETED');
    const patchDeleted = await api(emu(), 'PATCH', `sobjects/Account/${id}`, { body: { Name: 'x' } });
    expect(patchDeleted.body[0].errorCode).toBe('ENTITY_IS_DELETED');

    // The row stays for queryAll, flagged deleted.
    const all = [...emu().store.rows('Account', { includeDeleted: true })].find((r) => r.Id === id);
    expect(all?.IsDeleted).toBe(true);
    expect([...emu().store.rows('account', { includeDeleted: false })].some((r) => r.Id === id)).toBe(false);
    emu().store.undelete('Account', id);
    expect((await api(emu(), 'GET', `sobjects/Account/${id}`)).status).toBe(200);
  });

  it('computes Name for people and flags for opportunities', async () => {
    const contact = await api(emu(), 'POST', 'sobjects/Contact', {
      body: { FirstName: 'Ada', LastName: 'Lovelace' },
    });
    const read = await api(emu(), 'GET', `sobjects/Contact/${contact.body.id}`);
    expect(read.body.Name).toBe('Ada Lovelace');
    const opp = await api(emu(), 'POST', 'sobjects/Opportunity', {
      body: { Name: 'Deal', StageName: 'Closed Won', CloseDate: '2026-05-01', Amount: '1000.5' },
    });
    expect(opp.status).toBe(201);
    const o = (await api(emu(), 'GET', `sobjects/Opportunity/${opp.body.id}`)).body;
    expect(o).toMatchObject({ IsClosed: true, IsWon: true, Amount: 1000.5, FiscalQuarter: 2 });
  });

  it('links a contact to its account and checks the reference', async () => {
    const accountId = emu().store.insert('Account', { Name: 'Parent' });
    const ok = await api(emu(), 'POST', 'sobjects/Contact', {
      body: { LastName: 'Kid', AccountId: accountId.slice(0, 15) },
    });
    expect(ok.status).toBe(201);
    expect(emu().store.get('Contact', ok.body.id)?.AccountId).toBe(accountId);
    const wrongType = await api(emu(), 'POST', 'sobjects/Contact', {
      body: { LastName: 'Kid', AccountId: ok.body.id },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body[0]).toMatchObject({
      errorCode: 'FIELD_INTEGRITY_EXCEPTION',
      fields: ['AccountId'],
    });
    const malformed = await api(emu(), 'POST', 'sobjects/Contact', {
      body: { LastName: 'Kid', AccountId: 'xyz' },
    });
    expect(malformed.body[0]).toMatchObject({ errorCode: 'MALFORMED_ID', fields: ['AccountId'] });
  });

  it('unknown field: INVALID_FIELD', async () => {
    const res = await api(emu(), 'POST', 'sobjects/Account', { body: { Name: 'x', Foo: 1 } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      { message: "No such column 'Foo' on sobject of type Account", errorCode: 'INVALID_FIELD' },
    ]);
    const getField = await api(
      emu(),
      'GET',
      `sobjects/Account/${emu().store.insert('Account', { Name: 'y' })}?fields=Foo`,
    );
    expect(getField.status).toBe(400);
    expect(getField.body[0].errorCode).toBe('INVALID_FIELD');
  });

  it('missing required fields: REQUIRED_FIELD_MISSING, on insert and when cleared by update', async () => {
    const res = await api(emu(), 'POST', 'sobjects/Account', { body: { Phone: '1' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      {
        message: 'Required fields are missing: [Name]',
        errorCode: 'REQUIRED_FIELD_MISSING',
        fields: ['Name'],
      },
    ]);
    const lead = await api(emu(), 'POST', 'sobjects/Lead', { body: { FirstName: 'x' } });
    expect(lead.body[0].fields).toEqual(['LastName', 'Company']);
    const opp = await api(emu(), 'POST', 'sobjects/Opportunity', { body: { Name: 'x' } });
    expect(opp.body[0].fields.sort()).toEqual(['CloseDate', 'StageName']);
    const id = emu().store.insert('Account', { Name: 'z' });
    const cleared = await api(emu(), 'PATCH', `sobjects/Account/${id}`, { body: { Name: null } });
    expect(cleared.status).toBe(400);
    expect(cleared.body[0].errorCode).toBe('REQUIRED_FIELD_MISSING');
  });

  it('read-only fields: INVALID_FIELD_FOR_INSERT_UPDATE', async () => {
    const res = await api(emu(), 'POST', 'sobjects/Account', {
      body: { Name: 'x', CreatedDate: '2020-01-01T00:00:00Z' },
    });
    expect(res.status).toBe(400);
    expect(res.body[0]).toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      fields: ['CreatedDate'],
    });
    const id = emu().store.insert('Contact', { LastName: 'x' });
    const name = await api(emu(), 'PATCH', `sobjects/Contact/${id}`, { body: { Name: 'Full Name' } });
    expect(name.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['Name'] });
  });

  it('bad ids: MALFORMED_ID for GET, PATCH and DELETE; an id of another object is NOT_FOUND', async () => {
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const res = await api(
        emu(),
        method,
        'sobjects/Account/xyz',
        method === 'PATCH' ? { body: { Name: 'a' } } : {},
      );
      expect(res.status, method).toBe(400);
      expect(res.body).toEqual([
        { errorCode: 'MALFORMED_ID', message: 'Account ID: id value of incorrect type: xyz', fields: ['Id'] },
      ]);
    }
    const contactId = emu().store.insert('Contact', { LastName: 'x' });
    expect((await api(emu(), 'GET', `sobjects/Account/${contactId}`)).status).toBe(404);
  });

  it('too long strings: STRING_TOO_LONG', async () => {
    const res = await api(emu(), 'POST', 'sobjects/Account', { body: { Name: 'x'.repeat(256) } });
    expect(res.status).toBe(400);
    expect(res.body[0]).toMatchObject({ errorCode: 'STRING_TOO_LONG', fields: ['Name'] });
    expect(res.body[0].message).toContain('max length=255');
    const ok = await api(emu(), 'POST', 'sobjects/Account', { body: { Name: 'x'.repeat(255) } });
    expect(ok.status).toBe(201);
  });

  it('malformed JSON and wrong value types: JSON_PARSER_ERROR', async () => {
    for (const body of ['{"Name": ', '', '[{"Name":"x"}]']) {
      const res = await api(emu(), 'POST', 'sobjects/Account', {
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status, body).toBe(400);
      expect(res.body[0].errorCode).toBe('JSON_PARSER_ERROR');
    }
    const number = await api(emu(), 'POST', 'sobjects/Account', {
      body: { Name: 'x', NumberOfEmployees: 'many' },
    });
    expect(number.body[0].errorCode).toBe('JSON_PARSER_ERROR');
    const date = await api(emu(), 'POST', 'sobjects/Opportunity', {
      body: { Name: 'x', StageName: 'Prospecting', CloseDate: '2026-13-45' },
    });
    expect(date.body[0].errorCode).toBe('JSON_PARSER_ERROR');
    const bool = await api(emu(), 'POST', 'sobjects/Contact', { body: { LastName: 'x', DoNotCall: 'yes' } });
    expect(bool.body[0].errorCode).toBe('JSON_PARSER_ERROR');
  });

  it('normalizes datetimes to Salesforce format and accepts loose scalars', async () => {
    const res = await api(emu(), 'POST', 'sobjects/Contact', {
      body: { LastName: 'x', EmailBouncedDate: '2026-01-02T03:04:05-02:00', DoNotCall: 'true' },
    });
    const row = emu().store.get('Contact', res.body.id);
    expect(row?.EmailBouncedDate).toBe('2026-01-02T05:04:05.000+0000');
    expect(row?.DoNotCall).toBe(true);
  });

  it('custom objects: key prefix, Name defaulted to the id, unique external ids', async () => {
    const res = await api(emu(), 'POST', 'sobjects/Invoice__c', {
      body: { Amount__c: 10, Number__c: 'INV-1', Due__c: '2026-02-01' },
    });
    expect(res.status).toBe(201);
    expect(res.body.id.startsWith('a00')).toBe(true);
    const row = (await api(emu(), 'GET', `sobjects/Invoice__c/${res.body.id}`)).body;
    expect(row).toMatchObject({ Name: res.body.id, Amount__c: 10, Paid__c: false, Due__c: '2026-02-01' });
    const dup = await api(emu(), 'POST', 'sobjects/Invoice__c', { body: { Number__c: 'inv-1' } });
    expect(dup.status).toBe(400);
    expect(dup.body[0].errorCode).toBe('DUPLICATE_VALUE');
  });

  it('serves blob fields as bytes and as URLs in the record', async () => {
    const parent = emu().store.insert('Account', { Name: 'With file' });
    const body = Buffer.from('hello blob').toString('base64');
    const res = await api(emu(), 'POST', 'sobjects/Attachment', {
      body: { ParentId: parent, Name: 'a.txt', Body: body, ContentType: 'text/plain' },
    });
    expect(res.status).toBe(201);
    const record = (await api(emu(), 'GET', `sobjects/Attachment/${res.body.id}`)).body;
    expect(record.Body).toBe(`/services/data/v64.0/sobjects/Attachment/${res.body.id}/Body`);
    expect(record.BodyLength).toBe(10);
    const blob = await api(emu(), 'GET', `sobjects/Attachment/${res.body.id}/Body`);
    expect(blob.status).toBe(200);
    expect(blob.headers.get('content-type')).toBe('text/plain');
    expect(blob.text).toBe('hello blob');
  });

  it('store API validates like REST and reports changes', async () => {
    const changes: string[] = [];
    const off = emu().store.onChange((c) => changes.push(`${c.type}:${c.objectName}`));
    const id = emu().store.insert('Case', { Subject: 'Broken' });
    emu().store.update('Case', id, { Status: 'Closed' });
    emu().store.delete('Case', id);
    off();
    expect(changes).toEqual(['created:Case', 'updated:Case', 'deleted:Case']);
    const row = emu().store.findById(id);
    expect(row?.objectName).toBe('Case');
    expect(row?.row).toMatchObject({ IsClosed: true, IsDeleted: true, Priority: 'Medium' });
    expect(row?.row.CaseNumber).toMatch(/^\d{8}$/);
    expect(() => emu().store.insert('Account', {})).toThrow(/Required fields are missing/);
    expect(emu().store.describe('ACCOUNT')?.name).toBe('Account');
  });
});
