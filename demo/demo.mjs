// A short tour of the toolkit against the emulator, started in-process. Run: pnpm demo
import { createConnection, SalesforceError } from '@sf/core';
import { startEmulator } from '@sf/emulator';

const title = (text) => console.log(`\n\x1b[1m== ${text}\x1b[0m`);
const show = (label, value) =>
  console.log(`  ${label}:`, typeof value === 'string' ? value : JSON.stringify(value));

const emu = await startEmulator({ port: 0 });
try {
  title(`Emulator listening on ${emu.url}`);

  title('@sf/core: a connection with a token');
  const token = emu.issueToken();
  const conn = createConnection({
    instanceUrl: emu.instanceUrl,
    auth: { accessToken: token.accessToken, id: token.id },
  });
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

  title('@sf/core: resilience');
  emu.faults.failNext(2, { status: 503 });
  await conn.fetchLimits();
  show('two 503s in a row', 'retried with backoff, then succeeded');
} finally {
  await emu.close();
}
console.log('\nDone.');
