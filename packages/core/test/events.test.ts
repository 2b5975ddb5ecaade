// CONVENTIONS.md rule 5: a listener for an event an emitter never emits warns once, naming the
// one to use; and the one policy for an `error` nobody listens to, as a helper every package uses.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createConnection, Emitter, reportError } from '@sf/core';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const coreDir = fileURLToPath(new URL('..', import.meta.url));

function collectWarnings(): { messages: string[]; stop(): void } {
  const messages: string[] = [];
  const onWarning = (warning: Error) => messages.push(warning.message);
  process.on('warning', onWarning);
  return { messages, stop: () => process.off('warning', onWarning) };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('a listener for an event the emitter never emits', () => {
  let warnings: ReturnType<typeof collectWarnings>;
  afterEach(() => warnings.stop());

  it("warns once, naming the event to use: on('data') where 'message' is emitted", async () => {
    warnings = collectWarnings();
    type Events = { message: (m: string) => void; error: (e: unknown) => void };
    const a = new Emitter<Events>({
      events: ['message', 'error'],
      renamed: { data: 'message' },
      source: '@sf/test-a',
    });
    const b = new Emitter<Events>({
      events: ['message', 'error'],
      renamed: { data: 'message' },
      source: '@sf/test-a',
    });
    const heard: string[] = [];
    a.on('data' as 'message', (m) => heard.push(m));
    b.on('data' as 'message', () => {});
    a.on('message', (m) => heard.push(m));
    a.emit('message', 'hi');
    await tick();
    expect(warnings.messages).toEqual([
      "[@sf/test-a] no 'data' event is ever emitted here: listen to 'message' instead (the events are 'message', 'error')",
    ]);
    expect(heard).toEqual(['hi']);
  });

  it('on a connection, lists the events it has', async () => {
    warnings = collectWarnings();
    const conn = createConnection({ instanceUrl: 'https://example.my.salesforce.com' });
    conn.on('response' as 'limits', () => {});
    conn.on('limits', () => {});
    await tick();
    expect(warnings.messages).toEqual([
      "[@sf/core] no 'response' event is ever emitted here: the events are 'refresh', 'limits'",
    ]);
  });

  it('says nothing when the emitter was not told its events', async () => {
    warnings = collectWarnings();
    new Emitter<{ x: () => void }>().on('y' as 'x', () => {});
    await tick();
    expect(warnings.messages).toEqual([]);
  });
});

describe('reportError: the one unheard-error policy', () => {
  type Events = { error: (e: unknown) => void };

  it('gives the error to an error listener', async () => {
    const emitter = new Emitter<Events>();
    const heard: unknown[] = [];
    emitter.on('error', (e) => heard.push(e));
    const error = new Error('boom');
    reportError(emitter, error, () => true);
    expect(heard).toEqual([error]);
  });

  it('with no listener and the promise side in use, stays quiet (the promise carries it)', async () => {
    const emitter = new Emitter<Events>();
    reportError(emitter, new Error('carried'), () => true);
    await tick(); // an uncaught exception here would fail this test run
  });

  it('with a listener added in the same tick as the failure, the listener gets it', async () => {
    const emitter = new Emitter<Events>();
    const heard: unknown[] = [];
    reportError(emitter, new Error('late listener'), () => false);
    emitter.on('error', (e) => heard.push(e));
    await tick();
    expect(heard).toHaveLength(1);
  });

  it('with neither, the error is an uncaught exception (in a child process)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'core-report-error-'));
    try {
      const file = join(dir, 'child.mjs');
      const result = await build({
        stdin: {
          contents: `import { Emitter, reportError } from '@sf/core';
            process.on('uncaughtException', (e) => { console.log('uncaught:', e.message); process.exit(0); });
            reportError(new Emitter(), new Error('nobody listens'), () => false);
            setTimeout(() => { console.log('silent'); process.exit(1); }, 1000);`,
          resolveDir: coreDir,
          loader: 'js',
        },
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'node',
        conditions: ['source'],
        logLevel: 'silent',
      });
      writeFileSync(file, result.outputFiles[0]!.text);
      const { stdout } = await run(process.execPath, [file]);
      expect(stdout.trim()).toBe('uncaught: nobody listens');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
