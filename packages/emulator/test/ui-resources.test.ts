// GET /tabs, /theme and the global /quickActions, which jsforce's Connection reads.
import { describe, expect, it } from 'vitest';
import { api, useEmulator } from './helpers.js';

describe('tabs, theme and global quick actions', () => {
  const emu = useEmulator({ customObjects: [{ name: 'Invoice__c', fields: [] }] });

  it('/tabs lists a tab per main object and custom object', async () => {
    const res = await api(emu(), 'GET', 'tabs');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'standard-Account',
          sobjectName: 'Account',
          label: 'Accounts',
          custom: false,
        }),
        expect.objectContaining({ name: 'Invoice__c', sobjectName: 'Invoice__c', custom: true }),
      ]),
    );
  });

  it('/theme has colors and icons per object', async () => {
    const res = await api(emu(), 'GET', 'theme');
    const account = res.body.themeItems.find((t: any) => t.name === 'Account');
    expect(account.colors[0]).toMatchObject({
      context: 'primary',
      theme: 'theme4',
      color: expect.any(String),
    });
    expect(account.icons.length).toBeGreaterThan(0);
  });

  it('/quickActions lists the global actions; each describes', async () => {
    const res = await api(emu(), 'GET', 'quickActions');
    expect(res.body.map((a: any) => a.name)).toEqual(expect.arrayContaining(['NewTask', 'LogACall']));
    const d = await api(emu(), 'GET', 'quickActions/NewTask/describe');
    expect(d.body).toMatchObject({ name: 'NewTask', targetSobjectType: 'Task', type: 'Create' });
    expect((await api(emu(), 'GET', 'quickActions/Nope')).status).toBe(404);
  });
});
