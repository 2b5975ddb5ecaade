import { describe, expect, it } from 'vitest';
import { subscribe } from '../src/index.js';
import { harness } from './helpers.js';

describe('change events', () => {
  it('decodes changedFields and nulledFields bitmaps into names, compound address fields as Parent.Child', async () => {
    const { conn, client } = await harness();
    const created = await conn.post<{ id: string }>('sobjects/Account', {
      Name: 'Acme',
      Phone: '555',
      Industry: 'Energy',
    });
    await conn.patch(`sobjects/Account/${created.id}`, {
      BillingCity: 'Paris',
      ShippingPostalCode: '75001',
      Industry: 'Banking',
      Phone: null,
    });
    const events = [];
    for await (const e of subscribe(client, '/data/AccountChangeEvent', { replay: -2 })) {
      events.push(e);
      if (events.length === 2) break;
    }
    const [create, update] = events as [(typeof events)[0], (typeof events)[0]];
    const header = (e: typeof create) => e.payload.ChangeEventHeader as Record<string, unknown>;
    expect(header(create)).toMatchObject({
      changeType: 'CREATE',
      entityName: 'Account',
      recordIds: [created.id],
    });
    expect(create.payload.Name).toBe('Acme');
    expect(header(update).changeType).toBe('UPDATE');
    expect([...(header(update).changedFields as string[])].sort()).toEqual(
      // ShippingAddress's type is the name `Address`, defined by BillingAddress: resolved by name.
      ['BillingAddress.City', 'ShippingAddress.PostalCode', 'Industry', 'LastModifiedDate', 'Phone'].sort(),
    );
    expect(header(update).nulledFields).toEqual(['Phone']);
    expect(header(update).diffFields).toEqual([]);
    // Unchanged fields are null in a Pub/Sub change event; the compound field carries the change.
    expect(update.payload.Name).toBeNull();
    expect(update.payload.BillingAddress).toMatchObject({ City: 'Paris', Street: null });
    expect(typeof header(update).commitNumber).toBe('number');
  });

  it('leaves the raw bitmaps alone with decodeBitmaps: false (as Salesforce sends them)', async () => {
    const { conn, client } = await harness();
    const created = await conn.post<{ id: string }>('sobjects/Account', { Name: 'Acme' });
    await conn.patch(`sobjects/Account/${created.id}`, { BillingCity: 'Paris' });
    const got = [];
    for await (const e of subscribe(client, '/data/AccountChangeEvent', {
      replay: -2,
      decodeBitmaps: false,
    })) {
      if (got.push(e) === 2) break;
    }
    const changed = (got[1]!.payload.ChangeEventHeader as { changedFields: string[] }).changedFields;
    expect(changed[0]).toMatch(/^0x[0-9A-F]+$/);
    expect(changed[1]).toMatch(/^\d+-0x[0-9A-F]+$/);
  });
});
