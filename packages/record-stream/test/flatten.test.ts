import { describe, expect, it } from 'vitest';
import { SalesforceError } from '@sf/core';
import { flattenRecord, unflattenRecord } from '../src/index.js';

describe('flattenRecord', () => {
  it('flattens parents to dotted keys and drops attributes at every level', () => {
    expect(
      flattenRecord({
        attributes: { type: 'Contact' },
        Id: '003',
        Account: { attributes: { type: 'Account' }, Name: 'Acme', Owner: { attributes: {}, Name: 'Grace' } },
      }),
    ).toEqual({ Id: '003', 'Account.Name': 'Acme', 'Account.Owner.Name': 'Grace' });
  });

  it('keeps null parents, child results, arrays and Dates as values', () => {
    const date = new Date(0);
    const cases = { totalSize: 0, done: true, records: [] };
    expect(flattenRecord({ Account: null, Cases: cases, Tags: ['a'], CreatedDate: date })).toEqual({
      Account: null,
      Cases: cases,
      Tags: ['a'],
      CreatedDate: date,
    });
  });

  it('produces no key for a parent with only attributes, and does not modify its input', () => {
    const record = { Id: '1', Owner: { attributes: { type: 'User' } } };
    expect(flattenRecord(record)).toEqual({ Id: '1' });
    expect(record.Owner).toEqual({ attributes: { type: 'User' } });
  });

  it('rejects what is not a record', () => {
    expect(() => flattenRecord(null as never)).toThrow(SalesforceError);
    expect(() => flattenRecord([] as never)).toThrow(/array/);
  });
});

describe('unflattenRecord', () => {
  it('rebuilds nested parents in key order', () => {
    expect(unflattenRecord({ Id: '1', 'Account.Name': 'Acme', 'Account.Owner.Name': 'Grace' })).toEqual({
      Id: '1',
      Account: { Name: 'Acme', Owner: { Name: 'Grace' } },
    });
  });

  it('keeps keys with empty segments literal', () => {
    expect(unflattenRecord({ 'a..b': 1, '.c': 2, 'd.': 3 })).toEqual({ 'a..b': 1, '.c': 2, 'd.': 3 });
  });

  it('lets an empty plain key give way to a parent, in either order', () => {
    expect(unflattenRecord({ Account: null, 'Account.Name': 'A' })).toEqual({ Account: { Name: 'A' } });
    expect(unflattenRecord({ 'Account.Name': 'A', Account: '' })).toEqual({ Account: { Name: 'A' } });
  });

  it('throws INVALID_RECORD when values conflict', () => {
    expect(() => unflattenRecord({ Account: 'x', 'Account.Name': 'A' })).toThrow(
      expect.objectContaining({ code: 'INVALID_RECORD' }),
    );
    expect(() => unflattenRecord({ 'Account.Name': 'A', Account: 'x' })).toThrow(/conflicts/);
  });

  it('collapses all-null parents when asked', () => {
    const flat = {
      Id: '1',
      'Account.Name': null,
      'Account.Owner.Name': null,
      'Contact.Name': 'x',
      'Contact.Fax': null,
    };
    expect(unflattenRecord(flat, { collapseNullParents: true })).toEqual({
      Id: '1',
      Account: null,
      Contact: { Name: 'x', Fax: null },
    });
    expect(unflattenRecord({ 'A.B.C': null, 'A.D': 1 }, { collapseNullParents: true })).toEqual({
      A: { B: null, D: 1 },
    });
  });

  it('sets __proto__ as an own key instead of changing the prototype', () => {
    const out = unflattenRecord({ '__proto__.x': 1 } as Record<string, unknown>);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('rejects what is not a plain object', () => {
    expect(() => unflattenRecord(null as never)).toThrow(SalesforceError);
  });
});
