// The toolkit's rule for an `error` nobody hears: with no listener and no iterator or ready()
// in use, a fatal error is thrown as an uncaught exception (as Node's EventEmitter does), so a
// failure nobody can see is never silent. Run in a child process, which that exception ends.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dist = (pkg: string) => new URL(`../../${pkg}/dist/index.js`, import.meta.url);
const built = existsSync(dist('pubsub')) && existsSync(dist('emulator')) && existsSync(dist('core'));

const program = `
import { createConnection } from ${JSON.stringify(dist('core').href)};
import { startEmulator } from ${JSON.stringify(dist('emulator').href)};
import { subscribe, pubsub } from ${JSON.stringify(dist('pubsub').href)};
const emu = await startEmulator({ pubsub: true, streaming: { platformEvents: [{ name: 'Order__e' }] } });
const { accessToken, id } = emu.issueToken();
const client = pubsub(createConnection({ instanceUrl: emu.instanceUrl, auth: { accessToken, id } }), { endpoint: emu.pubsubUrl });
process.on('exit', () => console.log('exiting'));
// Neither a listener nor an iterator: the refused replay id must surface.
subscribe(client, '/event/Order__e', { replay: Buffer.from('bad').toString('base64') });
setTimeout(() => { console.log('still alive'); process.exit(0); }, 10_000);
`;

describe.skipIf(!built)('an error nobody hears', () => {
  it('is thrown as an uncaught exception (the process dies with REPLAY_ID_INVALID)', async () => {
    const error = await run(process.execPath, ['--input-type=module', '-e', program]).catch((e) => e);
    expect(error.code).toBe(1);
    expect(error.stderr).toMatch(/REPLAY_ID_INVALID|refused the replay id/);
    expect(error.stdout).not.toMatch(/still alive/);
  });
});
