// A subscription whose failure nobody can see: no `error` listener, and neither `ready()` nor
// an iterator used. Its fatal error (the topic does not exist) must surface as an uncaught
// exception, as Node's EventEmitter would, not vanish. SOAK_CONFIG: { url, token }.
import { createConnection } from '@sf/core';
import { subscribe, topic } from '@sf/streaming';

const config = JSON.parse(process.env.SOAK_CONFIG ?? '{}');
const conn = createConnection({ instanceUrl: config.url, auth: config.token });
const sub = subscribe(conn, topic('NoSuchTopic'));
sub.on('message', () => {});
// Keeps the process alive long enough for the failure to arrive.
setTimeout(() => process.exit(0), 8_000);
