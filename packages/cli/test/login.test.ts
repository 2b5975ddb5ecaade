import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { built, loginTo, sfx, tempDir, useEmulator } from './helpers.js';

describe.skipIf(!built)('sfx login, orgs, logout', () => {
  const emu = useEmulator();

  it('login (username-password) stores the org in a 0600 file and prints no token', async () => {
    const dir = tempDir();
    const result = await loginTo(emu(), dir, 'dev');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("alias 'dev'");
    const file = join(dir, 'credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as {
      default: string;
      orgs: Record<string, { accessToken: string }>;
    };
    expect(stored.default).toBe('dev');
    const token = stored.orgs.dev?.accessToken ?? '';
    expect(token.length).toBeGreaterThan(10);
    expect(result.stdout + result.stderr).not.toContain(token);
    expect(result.stdout + result.stderr).not.toContain(emu().credentials.password);

    const orgs = await sfx(['orgs', '--json'], { SFX_CONFIG_DIR: dir });
    expect(orgs.code).toBe(0);
    const listed = JSON.parse(orgs.stdout) as { orgs: Array<Record<string, unknown>> };
    expect(listed.orgs).toEqual([
      expect.objectContaining({
        alias: 'dev',
        username: emu().credentials.username,
        instanceUrl: emu().instanceUrl,
        flow: 'password',
        isDefault: true,
      }),
    ]);
    expect(orgs.stdout).not.toContain(token);
    const human = await sfx(['orgs'], { SFX_CONFIG_DIR: dir });
    expect(human.stdout).toMatch(/\* dev\s+admin/);

    const out = await sfx(['logout', 'dev', '--json'], { SFX_CONFIG_DIR: dir });
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ alias: 'dev', removed: true, revoked: expect.any(Boolean) });
    const after = await sfx(['orgs', '--json'], { SFX_CONFIG_DIR: dir });
    expect(JSON.parse(after.stdout)).toEqual({ orgs: [] });
  });

  it('a wrong password is one error line with code and exit 4; JSON under --json', async () => {
    const dir = tempDir();
    const c = emu().credentials;
    const args = [
      'login',
      '--login-url',
      emu().loginUrl,
      '--client-id',
      c.clientId,
      '--client-secret',
      c.clientSecret,
      '--username',
      c.username,
      '--password',
      'wrong',
    ];
    const human = await sfx(args, { SFX_CONFIG_DIR: dir });
    expect(human.code).toBe(4);
    expect(human.stderr.trim().split('\n')).toHaveLength(1);
    expect(human.stderr).toMatch(/^error AUTH_FAILED: .*\(log in:/);
    const json = await sfx([...args, '--json'], { SFX_CONFIG_DIR: dir });
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout)).toEqual({
      error: expect.objectContaining({ code: 'AUTH_FAILED', message: expect.any(String) }),
    });
  });

  it('usage errors exit 2, as one JSON error under --json', async () => {
    const text = await sfx(['import', 'a.csv'], { SFX_CONFIG_DIR: tempDir() });
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/^error: required option '-s, --object <name>' not specified/);
    const json = await sfx(['import', 'a.csv', '--json'], { SFX_CONFIG_DIR: tempDir() });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({
      error: {
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('--object'),
        hint: expect.any(String),
      },
    });
    const unknown = await sfx(['nope'], {});
    expect(unknown.code).toBe(2);
  });
});
