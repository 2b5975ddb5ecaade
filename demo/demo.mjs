// A short tour of the toolkit against the emulator, started in-process. Run: pnpm demo
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createOAuth2Client, passwordAuth } from '@sf/auth';
import { createConnection, SalesforceError } from '@sf/core';
import { bulkQuery, load, withBulk } from '@sf/bulk';
import { createClient } from '@sf/client';
import { startEmulator } from '@sf/emulator';
import { find, query, SoqlDate, soql } from '@sf/query';
import { sobject } from '@sf/sobject';
import { subscribe, topic } from '@sf/streaming';

const title = (text) => console.log(`\n\x1b[1m== ${text}\x1b[0m`);
const show = (label, value) =>
  console.log(`  ${label}:`, typeof value === 'string' ? value : JSON.stringify(value));

const emu = await startEmulator({ port: 0 });
try {
  title(`Emulator listening on ${emu.url}`);

  title('@sf/auth: an OAuth login (username-password flow) that renews itself');
  const oauth2 = createOAuth2Client({
    clientId: emu.credentials.clientId,
    clientSecret: emu.credentials.clientSecret,
    loginUrl: emu.loginUrl,
  });
  const { username, password, securityToken } = emu.credentials;
  const conn = createConnection({ auth: passwordAuth(oauth2, { username, password, securityToken }) });
  conn.on('refresh', (credentials) => show('renewed session for user', credentials.userId));
  conn.on('limits', (info) => (lastUsage = info.apiUsage));
  let lastUsage;
  const versions = await conn.versions();
  show(
    'API versions',
    versions
      .slice(-3)
      .map((v) => v.version)
      .join(', '),
  );
  show(
    'resources',
    Object.keys(await conn.resources())
      .slice(0, 6)
      .join(', ') + ', ...',
  );
  const identity = await conn.identity();
  show('logged in as', `${identity.username} (org ${identity.organization_id})`);

  title('@sf/core: records over plain REST');
  const { id } = await conn.post('sobjects/Account', { Name: 'Demo Industries', Industry: 'Energy' });
  show('created Account', id);
  const account = await conn.get(`sobjects/Account/${id}`, { query: { fields: 'Id,Name,Industry' } });
  show('read it back', { Name: account.Name, Industry: account.Industry });
  try {
    await conn.post('sobjects/Account', { Nmae: 'a typo' });
  } catch (error) {
    if (!(error instanceof SalesforceError)) throw error;
    show('typed error', `${error.code} / ${error.errorCode}: ${error.message}`);
  }
  show('API usage', lastUsage);

  title('@sf/query: every record, one page fetched ahead');
  const industries = ['Energy', 'Banking', 'Retail', 'Media'];
  for (let i = 1; i <= 450; i++) {
    emu.store.insert('Account', {
      Name: `Account ${i}`,
      Industry: industries[i % 4],
      NumberOfEmployees: i * 10,
    });
  }
  let seen = 0;
  let pages = 0;
  const everything = query(conn, 'SELECT Id, Name FROM Account', { batchSize: 200 });
  everything.on('fetch', () => pages++);
  for await (const _ of everything) seen++;
  show('streamed', `${seen} accounts in ${pages} pages of at most 200`);
  const userInput = "O'Brien's \\ Energy";
  const safe = await query(conn, soql`SELECT Id FROM Account WHERE Name = ${userInput}`);
  show('soql`` tag with hostile input', `${safe.totalSize} rows, query shape unchanged`);

  title('@sf/query: the JSON query builder');
  const big = find(
    conn,
    'Account',
    {
      Industry: { $in: ['Energy', 'Banking'] },
      NumberOfEmployees: { $gte: 4000 },
      CreatedDate: { $gte: SoqlDate.LAST_N_DAYS(7) },
    },
    ['Name', 'Industry'],
  )
    .sort({ NumberOfEmployees: -1 })
    .limit(3);
  show('SOQL', big.toSOQL());
  show('top 3', (await big).records.map((r) => `${r.Name} (${r.Industry})`).join(', '));

  title('@sf/query + @sf/record-stream: CSV export');
  const contactAccount = emu.store.insert('Account', { Name: 'Csv Corp' });
  emu.store.insert('Contact', { LastName: 'Lovelace', FirstName: 'Ada', AccountId: contactAccount });
  emu.store.insert('Contact', { LastName: 'Hopper', FirstName: 'Grace', AccountId: contactAccount });
  let csv = '';
  for await (const chunk of query(
    conn,
    'SELECT FirstName, LastName, Account.Name FROM Contact ORDER BY LastName',
  ).toCSV()) {
    csv += chunk;
  }
  console.log(csv.trimEnd().replace(/^/gm, '    '));

  title('@sf/streaming: a record change arrives as an event');
  await conn.post('sobjects/PushTopic', {
    Name: 'EnergyAccounts',
    Query: "SELECT Id, Name, Industry FROM Account WHERE Industry = 'Energy'",
    ApiVersion: 64.0,
    NotifyForFields: 'Referenced',
  });
  const sub = subscribe(conn, topic('EnergyAccounts'));
  await sub.ready();
  const { id: streamed } = await conn.post('sobjects/Account', {
    Name: 'Streamed Power',
    Industry: 'Energy',
  });
  await conn.patch(`sobjects/Account/${streamed}`, { Name: 'Streamed Power & Light' });
  let events = 0;
  for await (const message of sub) {
    show(
      `/topic/EnergyAccounts ${message.event.type}`,
      `${message.sobject?.Name} (replay id ${message.event.replayId})`,
    );
    if (++events === 2) break;
  }
  await sub.unsubscribe();

  title('@sf/sobject: records by the hundred, records that know what changed');
  const Account = sobject(conn, 'Account');
  emu.resetRequests();
  const created = await Account.create(
    Array.from({ length: 450 }, (_, i) => ({ Name: `Collections ${i}` })),
    { parallel: 2 },
  );
  show(
    'created 450 Accounts',
    `${created.filter((r) => r.success).length} saved in ${emu.requests.length} requests`,
  );
  const mixed = await Account.create([{ Name: 'Fine' }, { Name: null }]);
  show('per-record results', mixed.map((r) => (r.success ? 'ok' : r.errors[0].errorCode)).join(', '));
  const [tracked] = await Account.findTracked({ Name: 'Fine' }, ['Id', 'Name', 'Industry', 'CreatedDate']);
  tracked.Industry = 'Retail';
  show('change-tracked update sends', JSON.stringify(tracked.changes()));
  await Account.update(tracked);
  show('read back', (await Account.retrieve(tracked.getId(), { fields: ['Name', 'Industry'] })).Industry);
  const removed = await Account.destroy(created.map((r) => r.id));
  show('deleted', `${removed.length} records`);

  title('@sf/bulk: a Bulk API 2.0 load and query');
  const rows = Array.from({ length: 5000 }, (_, i) => ({
    Name: i === 4999 ? null : `Bulk ${i}`,
    Industry: 'Media',
  }));
  const loaded = await load(conn, 'Account', 'insert', rows, { pollIntervalMs: 50 });
  show('loaded', `${loaded.numberRecordsSucceeded} succeeded, ${loaded.numberRecordsFailed} failed`);
  for await (const failure of loaded.failedResults()) {
    show('failed row', `${failure.errors[0]?.errorCode}: ${JSON.stringify(failure.record)}`);
  }
  let media = 0;
  for await (const _ of bulkQuery(conn, "SELECT Id, Name FROM Account WHERE Industry = 'Media'")) media++;
  show('bulk query', `${media} Media accounts streamed back page by page`);
  const Media = withBulk(sobject(conn, 'Account'), { pollIntervalMs: 50 });
  const renamed = await Media.find({ Industry: 'Media', Name: { $like: 'Bulk 1%' } }, ['Id', 'Name']).update(
    (a) => ({
      Id: a.Id,
      Name: `${a.Name} (renamed)`,
    }),
  );
  show(
    'find().update()',
    `${renamed.numberRecordsSucceeded} renamed through ${renamed.api === 'bulk' ? 'Bulk API 2.0' : 'REST'}`,
  );
  const few = await Media.find({ Industry: 'Media' }, ['Id']).limit(50).destroy();
  show(
    'find().destroy()',
    `${few.numberRecordsSucceeded} deleted through ${few.api === 'bulk' ? 'Bulk API 2.0' : 'REST (few records)'}`,
  );

  title("@sf/client: one import, node-salesforce's calls");
  const sf = createClient({
    oauth2: {
      clientId: emu.credentials.clientId,
      clientSecret: emu.credentials.clientSecret,
      loginUrl: emu.loginUrl,
    },
    bulk: { pollIntervalMs: 50 },
  });
  const user = await sf.login(username, password + securityToken);
  show('sf.login(username, password)', `user ${user.id} of org ${user.organizationId}`);
  const { id: clientAccount } = await sf.sobject('Account').create({ Name: 'Client Co' });
  const page = await sf.query("SELECT Id, Name FROM Account WHERE Name = 'Client Co'");
  show("sf.sobject('Account').create, sf.query", `${page.totalSize} row, ${clientAccount}`);
  const rets = await sf.bulk.load('Account', 'insert', [{ Name: 'Client Bulk 1' }, { Name: null }]);
  show('sf.bulk.load (Bulk API 1.0)', rets.map((r) => (r.success ? 'ok' : r.errors.join(', '))).join(' | '));
  const apex = await sf.tooling.executeAnonymous("System.debug('hello');");
  show('sf.tooling.executeAnonymous', `compiled ${apex.compiled}, success ${apex.success}`);
  await sf.logout();
  show('sf.logout()', 'token revoked');

  title('@sf/core: resilience');
  emu.faults.failNext(2, { status: 503 });
  await conn.fetchLimits();
  show('two 503s in a row', 'retried with backoff, then succeeded');

  title('@sf/cli: the sfx binary from a terminal');
  // Asynchronously: the emulator answers from this process, so it must not be blocked.
  const sfx = fileURLToPath(new URL('../packages/cli/bin/sfx.js', import.meta.url));
  const soqlText = "SELECT Name, Industry FROM Account WHERE Industry = 'Energy' LIMIT 3";
  const { stdout: table } = await promisify(execFile)(process.execPath, [sfx, 'query', soqlText], {
    env: { ...process.env, SF_INSTANCE_URL: emu.instanceUrl, SF_ACCESS_TOKEN: emu.issueToken().accessToken },
  });
  show('sfx query', `"${soqlText}"`);
  for (const line of table.trimEnd().split('\n')) console.log(`    ${line}`);
} finally {
  await emu.close();
}
console.log('\nDone.');
