import jsforce from 'jsforce';
import { it } from 'vitest';
import { startEmulator, bulkSettings } from '../../src/index.js';
it('debug', async () => {
  process.on('uncaughtException', (e) => console.log('UNCAUGHT', e.message));
  const emu = await startEmulator({ port: 0 });
  const c = emu.credentials;
  const conn = new jsforce.Connection({
    loginUrl: emu.loginUrl,
    version: '64.0',
    oauth2: {
      loginUrl: emu.loginUrl,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      redirectUri: 'http://x',
    },
  });
  await conn.login(c.username, c.password + c.securityToken);
  await conn
    .sobject('Account')
    .create(Array.from({ length: 5 }, (_, i) => ({ Name: 'a' + i, Industry: 'Banking' })));
  conn.bulk2.pollInterval = 20;
  bulkSettings(emu.store).queryPageSize = 2;
  const s: any = await conn.bulk2.query("SELECT Name FROM Account WHERE Industry = 'Banking'");
  s.on('record', (r: any) => console.log('record', r));
  s.on('end', () => console.log('end'));
  s.on('error', (e: any) => console.log('error', e.message));
  await new Promise((r) => setTimeout(r, 2000));
  console.log(emu.requests.slice(-4).map((r) => r.path + ' ' + r.status));
  await emu.close();
});
