// `sf-emulator [--port N] [--api-version 64.0]`: runs the emulator until Ctrl-C, with the
// Pub/Sub API on and an `Order__e` platform event, as the READMEs' programs expect, and prints
// the SF_* environment variables those programs read.

import { parseArgs } from 'node:util';
import { startEmulator } from './emulator.js';
import { README_FIXTURE } from './readme-fixture.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', short: 'p', default: '0' },
    'api-version': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log('Usage: sf-emulator [--port N] [--api-version NN.0]');
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`sf-emulator: --port must be 0-65535, got ${values.port}`);
  process.exit(2);
}

const emu = await startEmulator({
  port,
  ...(values['api-version'] ? { apiVersion: values['api-version'] } : {}),
  ...README_FIXTURE,
});
const c = emu.credentials;
const token = emu.issueToken();
console.log(`Salesforce emulator listening on ${emu.url} (API v${emu.apiVersion})

  login URL / instance URL  ${emu.url}
  username                  ${c.username}
  password + token          ${c.password}${c.securityToken}
  client id                 ${c.clientId}
  client secret             ${c.clientSecret}

For the READMEs' programs (a fresh token for the admin user):
  export SF_INSTANCE_URL=${emu.instanceUrl} SF_LOGIN_URL=${emu.loginUrl}
  export SF_ACCESS_TOKEN='${token.accessToken}' SF_REFRESH_TOKEN='${token.refreshToken}'
  export SF_IDENTITY_URL=${token.id} SF_PUBSUB_ENDPOINT=${emu.pubsubUrl}
  export SF_USERNAME=${c.username} SF_PASSWORD='${c.password}${c.securityToken}'
  export SF_CLIENT_ID=${c.clientId} SF_CLIENT_SECRET=${c.clientSecret}

Get a token:
  curl -s ${emu.url}/services/oauth2/token \\
    -d grant_type=password -d client_id=${c.clientId} \\
    -d client_secret=${c.clientSecret} \\
    -d username=${c.username} -d password=${c.password}${c.securityToken}

Press Ctrl-C to stop.`);

const stop = () => {
  void emu.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
