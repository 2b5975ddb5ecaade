// jsforce 3.10.16 against the emulator: login, identity, describe, query, search, CRUD,
// recent/updated/deleted, limits, conn.request, composite, tree, batch, blobs and Apex REST.
// Every call asserts what jsforce hands back, not only that it did not throw.
import { describe, expect, it } from 'vitest';
import { type Connection, jsforce, oauthLogin, soapLogin, useEmulator, VERSION } from './jsforce-setup.js';

const ID18 = /^[a-zA-Z0-9]{18}$/;

describe('jsforce: login and identity', () => {
  const emu = useEmulator();

  it('OAuth2 username-password login returns the user and org ids of the identity URL', async () => {
    const conn = await oauthLogin(emu());
    expect(conn.accessToken).toEqual(expect.any(String));
    expect(conn.instanceUrl).toBe(emu().instanceUrl);
    expect(conn.userInfo).toMatchObject({ organizationId: emu().orgId, id: expect.stringMatching(ID18) });
  });

  it('identity() describes the logged-in user', async () => {
    const conn = await oauthLogin(emu());
    const identity = await conn.identity();
    expect(identity).toMatchObject({
      user_id: conn.userInfo?.id,
      organization_id: emu().orgId,
      username: emu().credentials.username,
    });
  });

  it('SOAP login() then logout(): the session stops working', async () => {
    const conn = await soapLogin(emu());
    expect(conn.userInfo?.organizationId).toBe(emu().orgId);
    const before = await conn.query<{ Id: string }>('SELECT Id FROM User');
    expect(before.totalSize).toBeGreaterThan(0);
    const token = conn.accessToken as string;
    await conn.logout();
    expect(conn.accessToken).toBeFalsy();
    const res = await fetch(`${emu().url}/services/data/v${VERSION}/limits`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(401);
  });

  it('OAuth2 logout() revokes the token', async () => {
    const conn = await oauthLogin(emu());
    const token = conn.accessToken as string;
    await conn.logout();
    const res = await fetch(`${emu().url}/services/data/v${VERSION}/limits`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(401);
  });
});

describe('jsforce: describe', () => {
  const emu = useEmulator({
    customObjects: [{ name: 'Invoice__c', fields: [{ name: 'Amount__c', type: 'currency' }] }],
  });
  let conn: Connection;
  const login = async () => {
    conn ??= await oauthLogin(emu());
    return conn;
  };

  it('describeGlobal() lists standard and custom objects', async () => {
    const global = await (await login()).describeGlobal();
    const names = global.sobjects.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['Account', 'Contact', 'Invoice__c']));
    expect(global.maxBatchSize).toBe(200);
  });

  it('describe() gives fields, child relationships and urls', async () => {
    const d = await (await login()).sobject('Account').describe();
    expect(d.name).toBe('Account');
    expect(d.fields.find((f) => f.name === 'Name')).toMatchObject({ type: 'string', nillable: false });
    expect(d.childRelationships.map((c) => c.relationshipName)).toContain('Contacts');
    expect(d.urls).toMatchObject({ layouts: `/services/data/v${VERSION}/sobjects/Account/describe/layouts` });
  });

  it('layouts() answers the describe layouts shape', async () => {
    const layouts = await (await login()).sobject('Account').layouts();
    expect(layouts.layouts).toEqual([expect.objectContaining({ id: expect.any(String) })]);
    expect(layouts.recordTypeMappings).toEqual([
      expect.objectContaining({ recordTypeId: '012000000000000AAA', layoutId: layouts.layouts[0]?.id }),
    ]);
    const sections = layouts.layouts[0]?.detailLayoutSections ?? [];
    const items = sections.flatMap((s) => s.layoutRows.flatMap((r) => r.layoutItems));
    const names = items.flatMap((i) => i.layoutComponents.map((c) => c.value));
    expect(names).toContain('Name');
  });

  it('compactLayouts() answers the default compact layout', async () => {
    const compact = await (await login()).sobject('Account').compactLayouts();
    expect(compact.defaultCompactLayoutId).toEqual(expect.any(String));
    expect(compact.compactLayouts[0]).toMatchObject({
      id: compact.defaultCompactLayoutId,
      fieldItems: expect.arrayContaining([expect.objectContaining({ label: 'Account Name' })]),
    });
    expect(compact.recordTypeCompactLayoutMappings).toEqual([
      expect.objectContaining({ recordTypeId: '012000000000000AAA' }),
    ]);
  });

  it('listviews(), and a list view results(), explain() and describe()', async () => {
    const c = await login();
    await c.sobject('Account').create({ Name: 'Listed Co' });
    const views = (await c.sobject('Account').listviews()) as {
      listviews: { developerName: string; id: string }[];
    };
    expect(views.listviews.length).toBeGreaterThan(0);
    const all = views.listviews.find((v) => v.developerName === 'AllAccounts') as { id: string };
    expect(all).toMatchObject({ label: 'All Accounts', soqlCompatible: true, id: expect.any(String) });
    const results = (await c.sobject('Account').listview(all.id).results()) as {
      size: number;
      columns: { fieldNameOrPath: string }[];
      records: { columns: { fieldNameOrPath: string; value: unknown }[] }[];
    };
    expect(results.size).toBeGreaterThan(0);
    expect(results.columns.map((col) => col.fieldNameOrPath)).toContain('Name');
    const names = results.records.flatMap((r) =>
      r.columns.filter((col) => col.fieldNameOrPath === 'Name').map((col) => col.value),
    );
    expect(names).toContain('Listed Co');
    const plan = (await c.sobject('Account').listview(all.id).explain()) as {
      plans: { sobjectType: string }[];
    };
    expect(plan.plans[0]?.sobjectType).toBe('Account');
    const described = await c.sobject('Account').listview(all.id).describe();
    expect(described).toMatchObject({
      id: all.id,
      sobjectType: 'Account',
      query: expect.stringMatching(/^SELECT /),
    });
  });

  it('quickActions() lists the object actions and one describes', async () => {
    const c = await login();
    const actions = (await c.sobject('Account').quickActions()) as { name: string; type: string }[];
    expect(actions.length).toBeGreaterThan(0);
    expect(actions[0]).toMatchObject({ name: expect.any(String), type: expect.any(String) });
    const first = actions[0] as { name: string };
    const d = await c.sobject('Account').quickAction(first.name).describe();
    expect(d).toMatchObject({ name: first.name, contextSobjectType: 'Account' });
  });

  it('tabs(), theme() and the global quickActions()', async () => {
    const c = await login();
    const tabs = (await c.tabs()) as { sobjectName: string }[];
    expect(tabs.map((t) => t.sobjectName)).toEqual(expect.arrayContaining(['Account', 'Invoice__c']));
    const theme = (await c.theme()) as { themeItems: { name: string }[] };
    expect(theme.themeItems.map((t) => t.name)).toContain('Account');
    const actions = (await c.quickActions()) as { name: string }[];
    expect(actions.map((a) => a.name)).toContain('NewTask');
    expect(await c.quickAction('NewTask').describe()).toMatchObject({ targetSobjectType: 'Task' });
  });

  it('approvalLayouts() (not modelled) rejects NOT_FOUND, never MALFORMED_ID', async () => {
    const c = await login();
    await expect(c.sobject('Account').approvalLayouts()).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });
});

describe('jsforce: query and search', () => {
  const emu = useEmulator();
  let conn: Connection;

  it('inserts 450 accounts for the queries (array create, allowRecursive past 200)', async () => {
    conn = await oauthLogin(emu());
    const records = Array.from({ length: 450 }, (_, i) => ({
      Name: `Paged ${String(i).padStart(3, '0')}`,
      Industry: 'Energy',
    }));
    const results = await conn.sobject('Account').create(records, { allowRecursive: true });
    expect(results).toHaveLength(450);
    expect(results.every((r) => r.success && ID18.test(r.id ?? ''))).toBe(true);
  });

  it('query() with autoFetch follows nextRecordsUrl over several pages', async () => {
    const records: { Name: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      conn
        .query<{ Name: string }>("SELECT Name FROM Account WHERE Industry = 'Energy' ORDER BY Name")
        .on('record', (r: { Name: string }) => records.push(r))
        .on('end', () => resolve())
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: 1000, headers: { 'Sforce-Query-Options': 'batchSize=200' } });
    });
    expect(records).toHaveLength(450);
    expect(records[0]?.Name).toBe('Paged 000');
    expect(records[449]?.Name).toBe('Paged 449');
  });

  it('queryMore() fetches the next page by its locator', async () => {
    const first = await conn.request<{ done: boolean; nextRecordsUrl: string; records: unknown[] }>({
      method: 'GET',
      url: `/services/data/v${VERSION}/query?q=${encodeURIComponent('SELECT Id FROM Account')}`,
      headers: { 'Sforce-Query-Options': 'batchSize=200' },
    });
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(200);
    const second = await conn.queryMore(first.nextRecordsUrl);
    expect(second.records).toHaveLength(200);
    expect(second.done).toBe(false);
  });

  it('find() with conditions, sort and limit', async () => {
    const found = await conn
      .sobject('Account')
      .find<{ Name: string }>({ Name: { $like: 'Paged 01%' } }, ['Name'])
      .sort({ Name: -1 })
      .limit(3);
    expect(found.map((r) => r.Name)).toEqual(['Paged 019', 'Paged 018', 'Paged 017']);
  });

  it('count() answers COUNT()', async () => {
    expect(await conn.sobject('Account').count({ Industry: 'Energy' })).toBe(450);
  });

  it('scanAll sees deleted rows', async () => {
    const { id } = (await conn.sobject('Account').create({ Name: 'Gone Soon' })) as { id: string };
    await conn.sobject('Account').destroy(id);
    const live = await conn.query("SELECT Id FROM Account WHERE Name = 'Gone Soon'");
    expect(live.totalSize).toBe(0);
    const all = await conn.query<{ Id: string; IsDeleted: boolean }>(
      "SELECT Id, IsDeleted FROM Account WHERE Name = 'Gone Soon'",
      { scanAll: true },
    );
    expect(all.records).toEqual([expect.objectContaining({ Id: id, IsDeleted: true })]);
  });

  it('search() with RETURNING', async () => {
    await conn.sobject('Contact').create({ LastName: 'Zebediah', Email: 'zeb@example.com' });
    const found = await conn.search('FIND {Zebediah} IN ALL FIELDS RETURNING Contact(Id, LastName)');
    expect(found.searchRecords).toEqual([
      expect.objectContaining({
        LastName: 'Zebediah',
        attributes: expect.objectContaining({ type: 'Contact' }),
      }),
    ]);
  });

  it('search() without RETURNING searches every searchable object', async () => {
    await conn.sobject('Lead').create({ LastName: 'Quillfeather', Company: 'Quillfeather Inc' });
    await conn.sobject('Account').create({ Name: 'Quillfeather Holdings' });
    const found = await conn.search('FIND {Quillfeather}');
    const types = found.searchRecords.map((r) => r.attributes?.type).sort();
    expect(types).toEqual(['Account', 'Lead']);
    expect(found.searchRecords.every((r) => ID18.test(String(r.Id)))).toBe(true);
  });
});

describe('jsforce: CRUD, upsert, recent/updated/deleted', () => {
  const emu = useEmulator({
    customObjects: [
      {
        name: 'Invoice__c',
        fields: [
          { name: 'Number__c', type: 'string', externalId: true, unique: true, length: 20 },
          { name: 'Amount__c', type: 'currency' },
        ],
      },
    ],
  });
  let conn: Connection;

  it('create, retrieve, update, destroy one record', async () => {
    conn = await oauthLogin(emu());
    const created = (await conn.sobject('Account').create({ Name: 'Single' })) as {
      id: string;
      success: boolean;
    };
    expect(created).toMatchObject({ success: true, id: expect.stringMatching(ID18) });
    const read = await conn.sobject('Account').retrieve(created.id);
    expect(read).toMatchObject({ Id: created.id, Name: 'Single' });
    const updated = await conn.sobject('Account').update({ Id: created.id, Phone: '555-0100' });
    expect(updated).toMatchObject({ id: created.id, success: true });
    expect((await conn.sobject('Account').retrieve(created.id)).Phone).toBe('555-0100');
    const destroyed = await conn.sobject('Account').destroy(created.id);
    expect(destroyed).toMatchObject({ id: created.id, success: true });
    await expect(conn.sobject('Account').retrieve(created.id)).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
    });
  });

  it('arrays: create, retrieve, update, destroy through sObject Collections', async () => {
    const created = await conn.sobject('Contact').create([{ LastName: 'A' }, { LastName: 'B' }, {}]);
    expect(created.map((r) => r.success)).toEqual([true, true, false]);
    expect(created[2]).toMatchObject({
      success: false,
      errors: [expect.objectContaining({ statusCode: 'REQUIRED_FIELD_MISSING' })],
    });
    const ids = created.filter((r) => r.success).map((r) => r.id as string);
    const read = await conn.sobject('Contact').retrieve(ids);
    expect(read.map((r) => r.LastName)).toEqual(['A', 'B']);
    const updated = await conn.sobject('Contact').update(ids.map((Id) => ({ Id, Title: 'Dr' })));
    expect(updated.every((r) => r.success)).toBe(true);
    const destroyed = await conn.sobject('Contact').destroy(ids);
    expect(destroyed.map((r) => r.id)).toEqual(ids);
  });

  it('upsert by external id creates, then updates', async () => {
    const first = await conn.sobject('Invoice__c').upsert({ Number__c: 'INV-1', Amount__c: 10 }, 'Number__c');
    expect(first).toMatchObject({ success: true, created: true, id: expect.stringMatching(ID18) });
    const second = await conn
      .sobject('Invoice__c')
      .upsert({ Number__c: 'INV-1', Amount__c: 20 }, 'Number__c');
    expect(second).toMatchObject({ success: true, created: false });
    const many = await conn.sobject('Invoice__c').upsert(
      [
        { Number__c: 'INV-1', Amount__c: 30 },
        { Number__c: 'INV-2', Amount__c: 5 },
      ],
      'Number__c',
    );
    expect(many.map((r) => r.created)).toEqual([false, true]);
  });

  it('retrieve and destroy by external id (GET and DELETE /sobjects/{Obj}/{Field}/{value})', async () => {
    const read = await conn.request<{ Number__c: string; Amount__c: number; Id: string }>(
      `/sobjects/Invoice__c/Number__c/INV-1`,
    );
    expect(read).toMatchObject({ Number__c: 'INV-1', Amount__c: 30, attributes: { type: 'Invoice__c' } });
    await conn.request({ method: 'DELETE', url: `/sobjects/Invoice__c/Number__c/INV-1` });
    await expect(conn.request(`/sobjects/Invoice__c/Number__c/INV-1`)).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
    });
  });

  it('recent() lists recently written records', async () => {
    const { id } = (await conn.sobject('Account').create({ Name: 'Recent One' })) as { id: string };
    const recent = await conn.recent();
    expect(recent[0]).toMatchObject({ Id: id, attributes: { type: 'Account' } });
    const accounts = await conn.sobject('Account').recent();
    expect(accounts.map((r) => r.Id)).toContain(id);
  });

  it('updated() and deleted() report ids in the window', async () => {
    const start = new Date(Date.now() - 60_000);
    const { id } = (await conn.sobject('Account').create({ Name: 'Tracked' })) as { id: string };
    await conn.sobject('Account').destroy(id);
    const end = new Date(Date.now() + 60_000);
    const updated = await conn.sobject('Account').updated(start, end);
    expect(updated.latestDateCovered).toEqual(expect.any(String));
    const deleted = await conn.sobject('Account').deleted(start, end);
    expect(deleted.deletedRecords.map((r) => r.id)).toContain(id);
    // Only soft deletes happened: no record has been physically removed, so the documented
    // "last physically deleted" time is not a soft delete's time.
    expect(deleted.earliestDateAvailable).not.toBe(deleted.deletedRecords[0]?.deletedDate);
  });

  it('limits() reports the daily API requests', async () => {
    const limits = await conn.limits();
    expect(limits.DailyApiRequests).toMatchObject({ Max: 15000, Remaining: expect.any(Number) });
  });

  it('conn.request() reaches any REST URL (versions, resources)', async () => {
    const versions = await conn.request<{ version: string }[]>('/services/data/');
    expect(versions.map((v) => v.version)).toContain(VERSION);
    const resources = await conn.request<Record<string, string>>(`/services/data/v${VERSION}/`);
    expect(resources.sobjects).toBe(`/services/data/v${VERSION}/sobjects`);
  });
});

describe('jsforce: composite, tree, batch', () => {
  const emu = useEmulator();
  let conn: Connection;

  it('composite with references and allOrNone', async () => {
    conn = await oauthLogin(emu());
    const res = await conn.requestPost<{ compositeResponse: { httpStatusCode: number; body: any }[] }>(
      '/composite',
      {
        allOrNone: true,
        compositeRequest: [
          {
            method: 'POST',
            url: `/services/data/v${VERSION}/sobjects/Account`,
            referenceId: 'acct',
            body: { Name: 'Comp' },
          },
          {
            method: 'POST',
            url: `/services/data/v${VERSION}/sobjects/Contact`,
            referenceId: 'cont',
            body: { LastName: 'Ref', AccountId: '@{acct.id}' },
          },
          {
            method: 'GET',
            url: `/services/data/v${VERSION}/sobjects/Contact/@{cont.id}?fields=AccountId`,
            referenceId: 'read',
          },
        ],
      },
    );
    expect(res.compositeResponse.map((r) => r.httpStatusCode)).toEqual([201, 201, 200]);
    expect(res.compositeResponse[2]?.body.AccountId).toBe(res.compositeResponse[0]?.body.id);
  });

  it('sObject tree inserts parents and children', async () => {
    const res = await conn.requestPost<{
      hasErrors: boolean;
      results: { referenceId: string; id: string }[];
    }>('/composite/tree/Account', {
      records: [
        {
          attributes: { type: 'Account', referenceId: 'a1' },
          Name: 'Tree Co',
          Contacts: { records: [{ attributes: { type: 'Contact', referenceId: 'c1' }, LastName: 'Leaf' }] },
        },
      ],
    });
    expect(res.hasErrors).toBe(false);
    expect(res.results.map((r) => r.referenceId)).toEqual(['a1', 'c1']);
    const child = await conn.sobject('Contact').retrieve(res.results[1]?.id as string);
    expect(child.AccountId).toBe(res.results[0]?.id);
  });

  it('composite batch runs any REST resource: limits, describe, query, sobject rows', async () => {
    const res = await conn.requestPost<{
      hasErrors: boolean;
      results: { statusCode: number; result: any }[];
    }>('/composite/batch', {
      batchRequests: [
        { method: 'GET', url: `v${VERSION}/limits` },
        { method: 'GET', url: `v${VERSION}/sobjects/Account/describe` },
        { method: 'GET', url: `v${VERSION}/query?q=SELECT+Id+FROM+Account+LIMIT+1` },
        { method: 'POST', url: `v${VERSION}/sobjects/Account`, richInput: { Name: 'Batched' } },
      ],
    });
    expect(res.hasErrors).toBe(false);
    expect(res.results.map((r) => r.statusCode)).toEqual([200, 200, 200, 201]);
    expect(res.results[0]?.result.DailyApiRequests.Max).toBe(15000);
    expect(res.results[1]?.result.name).toBe('Account');
    expect(res.results[2]?.result.totalSize).toBe(1);
    expect(res.results[3]?.result).toMatchObject({ success: true });
  });
});

describe('jsforce: blobs and Apex REST', () => {
  const emu = useEmulator({
    // A standard object named in customObjects gets the custom fields declared there.
    customObjects: [
      { name: 'Account', fields: [{ name: 'SLA__c', type: 'picklist', picklistValues: ['Gold', 'Silver'] }] },
    ],
  });
  let conn: Connection;

  it('a custom field on a standard object (SLA__c on Account, the nforce README example)', async () => {
    conn = await oauthLogin(emu());
    const { id } = (await conn
      .sobject('Account')
      .create({ Name: 'Spiffy Cleaners', Phone: '800-555-2345', SLA__c: 'Gold' })) as {
      id: string;
    };
    expect((await conn.sobject('Account').retrieve(id)).SLA__c).toBe('Gold');
    const d = await conn.sobject('Account').describe();
    expect(d.fields.find((f) => f.name === 'SLA__c')).toMatchObject({ custom: true, type: 'picklist' });
  });

  it('Attachment body read back as a stream', async () => {
    const { id: parentId } = (await conn.sobject('Account').create({ Name: 'Blob Parent' })) as {
      id: string;
    };
    const body = Buffer.from('hello blob').toString('base64');
    const { id } = (await conn
      .sobject('Attachment')
      .create({ ParentId: parentId, Name: 'hello.txt', Body: body, ContentType: 'text/plain' })) as {
      id: string;
    };
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      const stream = conn.sobject('Attachment').record(id).blob('Body');
      stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
    expect(Buffer.concat(chunks).toString()).toBe('hello blob');
  });

  it('a Document goes into a seeded standard folder, found by query', async () => {
    const folder = await conn
      .sobject('Folder')
      .findOne<{ Id: string; Type: string }>({ Type: 'Document' }, ['Id', 'Type']);
    expect(folder?.Id).toMatch(ID18);
    const body = Buffer.from('doc body').toString('base64');
    const created = (await conn
      .sobject('Document')
      .create({ FolderId: folder?.Id, Name: 'readme.txt', Body: body, ContentType: 'text/plain' })) as {
      success: boolean;
    };
    expect(created.success).toBe(true);
  });

  it('ContentVersion VersionData read back', async () => {
    const data = Buffer.from('version data').toString('base64');
    const { id } = (await conn
      .sobject('ContentVersion')
      .create({ Title: 'v', PathOnClient: 'v.txt', VersionData: data })) as { id: string };
    const cv = await conn.sobject('ContentVersion').retrieve(id);
    expect(cv.VersionData).toBe(`/services/data/v${VERSION}/sobjects/ContentVersion/${id}/VersionData`);
    const text = await conn.request<string>({ method: 'GET', url: cv.VersionData as string, headers: {} });
    expect(String(text)).toBe('version data');
  });

  it('Apex REST get and post through conn.apex', async () => {
    emu().apexRest('GET', '/Greeting/:name', (req) => ({ hello: req.params.name }));
    emu().apexRest('POST', '/Echo', (req) => ({ got: req.body }));
    expect(await conn.apex.get('/Greeting/World')).toEqual({ hello: 'World' });
    expect(await conn.apex.post('/Echo', { a: 1 })).toEqual({ got: { a: 1 } });
  });
});

describe('jsforce: the connection type', () => {
  it('is jsforce 3.10.16', () => {
    expect(jsforce.VERSION).toBe('3.10.16');
  });
});
