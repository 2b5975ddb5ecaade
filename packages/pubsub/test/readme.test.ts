// The README's runnable blocks (```ts, not `fragment`) run as written: the first against an
// emulator reached through the environment variables it reads, the second starts its own.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { startEmulator } from '@sf/emulator';
import { afterAll, describe, expect, it, vi } from 'vitest';

const dir = new URL('./.readme-blocks/', import.meta.url);
const blocks = async () => {
  const text = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
};
async function run(code: string, name: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const file = new URL(`${name}.ts`, dir);
  await writeFile(file, code);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args) => void lines.push(args.join(' ')));
  try {
    await import(file.href);
  } finally {
    log.mockRestore();
  }
  return lines;
}
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('README', () => {
  it('has two runnable programs', async () => {
    expect((await blocks()).length).toBe(2);
  });

  it('the quick start runs against the org the environment names (here: the emulator)', async () => {
    const emu = await startEmulator({
      pubsub: true,
      streaming: { platformEvents: [{ name: 'Order__e', fields: ['OrderNumber__c'] }] },
    });
    try {
      const token = emu.issueToken();
      Object.assign(process.env, {
        SF_INSTANCE_URL: emu.instanceUrl,
        SF_ACCESS_TOKEN: token.accessToken,
        SF_IDENTITY_URL: token.id,
        SF_PUBSUB_ENDPOINT: emu.pubsubUrl,
      });
      const lines = await run((await blocks())[0] as string, 'quick-start');
      expect(lines[0]).toMatch(/^published true \S+$/);
      expect(lines[1]).toMatch(/ A-1001$/);
    } finally {
      await emu.close();
    }
  });

  it('the emulator program runs on its own', async () => {
    const lines = await run((await blocks())[1] as string, 'emulator');
    expect(lines).toEqual(['total 111.5']);
  });
});
