// The soak test's subscriber, run as a child process so it can be killed with SIGKILL: two
// channels on one client, a file replay store, every message written to stdout as one JSON line
// (pipes are synchronous on Linux, so a line written is a line the parent gets, kill or not).
// Arguments come in SOAK_CONFIG: { url, refreshToken, clientId, clientSecret, store, channels }.
import { createConnection } from '@sf/core';
import { createFileReplayStore, createStreamingClient } from '@sf/streaming';

const config = JSON.parse(process.env.SOAK_CONFIG ?? '{}');
let current;
const strategy = {
  async getCredentials(ctx) {
    current ??= await this.refresh(ctx);
    return current;
  },
  async refresh(ctx) {
    const res = await ctx.transport({
      method: 'POST',
      url: `${config.url}/services/oauth2/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: config.refreshToken,
        client_id: config.clientId,
        client_secret: config.clientSecret,
      }).toString(),
    });
    const json = await res.json();
    current = { accessToken: json.access_token, instanceUrl: config.url };
    return current;
  },
};
const conn = createConnection({ instanceUrl: config.url, auth: strategy });
const client = createStreamingClient(conn);
const replayStore = createFileReplayStore(config.store);
for (const channel of config.channels) {
  const sub = client.subscribe(channel, { replay: -2, replayStore });
  sub.on('message', (m) => {
    const n = channel.startsWith('/event/') ? m.payload.N__c : Number(m.sobject.Name.slice(5));
    process.stdout.write(`${JSON.stringify({ c: channel, n, r: m.event.replayId })}\n`);
  });
  sub.on('disconnect', (reason) => process.stdout.write(`${JSON.stringify({ disconnect: reason })}\n`));
  sub.on('error', (error) => process.stdout.write(`${JSON.stringify({ error: error.message })}\n`));
}
process.once('SIGTERM', () => {
  client.close().then(() => process.exit(0));
});
