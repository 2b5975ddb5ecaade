// The sub-resources describe lists in `urls`: layouts, compactLayouts, listviews (and their
// results), quickActions; the others are 404 NOT_FOUND, never MALFORMED_ID.
import { describe, expect, it } from 'vitest';
import { api, useEmulator } from './helpers.js';

describe('describe sub-resources', () => {
  const emu = useEmulator();

  it('describe/layouts: one layout with sections of field items, mapped from the master record type', async () => {
    const res = await api(emu(), 'GET', 'sobjects/Contact/describe/layouts');
    expect(res.status).toBe(200);
    const [layout] = res.body.layouts;
    expect(layout.id).toMatch(/^00h[a-zA-Z0-9]{15}$/);
    const item = layout.detailLayoutSections[0].layoutRows
      .flatMap((r: any) => r.layoutItems)
      .find((i: any) => i.layoutComponents[0].value === 'LastName');
    expect(item).toMatchObject({ label: 'Last Name', required: true, editableForNew: true });
    expect(item.layoutComponents[0]).toMatchObject({
      type: 'Field',
      details: { name: 'LastName', type: 'string' },
    });
    expect(res.body.recordTypeMappings[0]).toMatchObject({
      layoutId: layout.id,
      recordTypeId: '012000000000000AAA',
    });
    const byRecordType = await api(emu(), 'GET', 'sobjects/Contact/describe/layouts/012000000000000AAA');
    expect(byRecordType.body.id).toBe(layout.id);
  });

  it('describe/compactLayouts: the system default with the name field first', async () => {
    const res = await api(emu(), 'GET', 'sobjects/Contact/describe/compactLayouts');
    expect(res.status).toBe(200);
    expect(res.body.compactLayouts[0]).toMatchObject({ name: 'SYSTEM', objectType: 'Contact' });
    expect(res.body.compactLayouts[0].fieldItems[0].label).toBe('Full Name');
    expect(res.body.defaultCompactLayoutId).toBe(res.body.compactLayouts[0].id);
  });

  it('listviews: All, My and New This Week; results run the view query with its columns', async () => {
    await api(emu(), 'POST', 'sobjects/Contact', { body: { LastName: 'Viewed', Title: 'CTO' } });
    const list = await api(emu(), 'GET', 'sobjects/Contact/listviews');
    expect(list.body).toMatchObject({ done: true, sobjectType: 'Contact', size: 3 });
    expect(list.body.listviews.map((v: any) => v.developerName)).toEqual([
      'AllContacts',
      'MyContacts',
      'NewThisWeek',
    ]);
    const all = list.body.listviews[0];
    const results = await api(emu(), 'GET', all.resultsUrl);
    expect(results.status).toBe(200);
    expect(results.body).toMatchObject({ id: all.id, label: 'All Contacts', done: true, size: 1 });
    expect(results.body.columns[0]).toMatchObject({
      fieldNameOrPath: 'Name',
      hidden: false,
      sortDirection: 'ascending',
    });
    const cells = results.body.records[0].columns;
    expect(cells.find((c: any) => c.fieldNameOrPath === 'Title').value).toBe('CTO');
    const described = await api(emu(), 'GET', all.describeUrl);
    expect(described.body.query).toMatch(
      /^SELECT Name, .* FROM Contact ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST$/,
    );
  });

  it('quickActions: listed, described, and executed with the context record as parent', async () => {
    const account = await api(emu(), 'POST', 'sobjects/Account', { body: { Name: 'Acted On' } });
    const list = await api(emu(), 'GET', 'sobjects/Account/quickActions');
    expect(list.body.map((a: any) => a.name)).toEqual(
      expect.arrayContaining(['NewContact', 'NewTask', 'LogACall']),
    );
    const d = await api(emu(), 'GET', 'sobjects/Account/quickActions/NewContact/describe');
    expect(d.body).toMatchObject({
      contextSobjectType: 'Account',
      targetSobjectType: 'Contact',
      targetParentField: 'AccountId',
      type: 'Create',
    });
    const run = await api(emu(), 'POST', 'sobjects/Account/quickActions/NewContact', {
      body: { contextId: account.body.id, record: { LastName: 'Quick' } },
    });
    expect(run.body).toMatchObject({ success: true, created: true, contextId: account.body.id });
    const contact = await api(emu(), 'GET', `sobjects/Contact/${run.body.id}`);
    expect(contact.body.AccountId).toBe(account.body.id);
  });

  it('the sub-resources not modelled answer 404 NOT_FOUND, never MALFORMED_ID', async () => {
    for (const path of [
      'sobjects/Account/describe/approvalLayouts',
      'sobjects/Account/describe/namedLayouts/Foo',
      'sobjects/Account/defaultValues?recordTypeId&fields',
      'sobjects/Account/listviews/00B000000000000AAA/results',
      'sobjects/Account/quickActions/Nope',
    ]) {
      const res = await api(emu(), 'GET', path);
      expect([path, res.status, res.body[0]?.errorCode]).toEqual([path, 404, 'NOT_FOUND']);
    }
  });
});

describe('list view explain', () => {
  const emu = useEmulator();

  it('query?explain={listViewId} explains the view query', async () => {
    const list = await api(emu(), 'GET', 'sobjects/Account/listviews');
    const res = await api(emu(), 'GET', `query?explain=${list.body.listviews[0].id}`);
    expect(res.status).toBe(200);
    expect(res.body.plans[0]).toMatchObject({ sobjectType: 'Account' });
  });
});
