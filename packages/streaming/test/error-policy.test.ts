// The error-event policy (issue 11 item 3) for subscriptions: an `error` listener gets the
// error; without one, a used promise side (`ready()`, an iterator, `unsubscribe()`) carries it
// alone and nothing is thrown; with neither, the error surfaces as an uncaught exception, as
// Node's EventEmitter would, because a failure nobody can see must not be silent.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isSalesforceError } from '@sf/core';
import { subscribe, topic } from '../src/index.js';
import { connect, emulatorPerTest } from './helpers.js';

const emulator = emulatorPerTest();

describe('error events of a subscription', () => {
  it('an iterated subscription with no error listener rejects, and nothing is thrown', async () => {
    const emu = await emulator();
    const sub = subscribe(connect(emu), topic('NoSuchTopic'));
    const error = await (async () => {
      for await (const _ of sub) throw new Error('no message expected');
    })().catch((e: unknown) => e);
    // vitest fails the run on an uncaught exception, so reaching here proves there was none.
    expect(isSalesforceError(error, 'SUBSCRIBE_FAILED')).toBe(true);
  });

  it('an error listener gets the fatal error, and ready() rejects with it too', async () => {
    const emu = await emulator();
    const sub = subscribe(connect(emu), topic('NoSuchTopic'));
    const seen: unknown[] = [];
    sub.on('error', (e) => seen.push(e));
    const error = await sub.ready().catch((e: unknown) => e);
    expect(seen).toEqual([error]);
  });

  it('with neither a listener nor the promise side used, the failure is an uncaught exception', async () => {
    const emu = await emulator();
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        new URL('./child/register.mjs', import.meta.url).href,
        fileURLToPath(new URL('./child/orphan-subscription.mjs', import.meta.url)),
      ],
      {
        env: {
          ...process.env,
          SOAK_CONFIG: JSON.stringify({ url: emu.url, token: emu.issueToken().accessToken }),
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain('SUBSCRIBE_FAILED');
  }, 30_000);
});
