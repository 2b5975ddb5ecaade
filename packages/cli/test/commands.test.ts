import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { built, loginTo, sfx, spawnSfx, tempDir, tokenEnv, useEmulator } from './helpers.js';

describe.skipIf(!built)('describe, limits, api, apex run, other logins, emulator', () => {
  const emu = useEmulator();

  it('describe OBJECT: a field table, and the fields under --json', async () => {
    const env = tokenEnv(emu());
    const r = await sfx(['describe', 'Account'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Account \(Account\), \d+ fields/);
    expect(r.stdout).toMatch(/^Name\s+string\s+Account Name \(required\)$/m);
    const json = JSON.parse((await sfx(['describe', 'Account', '--json'], env)).stdout) as {
      name: string;
      fields: Array<{ name: string }>;
    };
    expect(json.name).toBe('Account');
    expect(json.fields).toContainEqual(
      expect.objectContaining({ name: 'Name', type: 'string', nillable: false }),
    );
    const missing = await sfx(['describe', 'Nope__c'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error NOT_FOUND: /);
  });

  it('limits: remaining / max per limit; --json is the API answer', async () => {
    const env = tokenEnv(emu());
    const r = await sfx(['limits'], env);
    expect(r.stdout).toMatch(/^DailyApiRequests\s+\d+ \/ 15000 remaining$/m);
    const json = JSON.parse((await sfx(['limits', '--json'], env)).stdout) as Record<string, { Max: number }>;
    expect(json.DailyApiRequests?.Max).toBe(15000);
  });

  it('api GET|POST PATH: raw REST with a JSON body from fields or a file', async () => {
    const env = tokenEnv(emu());
    const created = await sfx(
      ['api', 'POST', 'sobjects/Account', '-F', 'Name=Api Corp', '-F', 'NumberOfEmployees=7'],
      env,
    );
    expect(created.code).toBe(0);
    const { id } = JSON.parse(created.stdout) as { id: string };
    const got = JSON.parse(
      (await sfx(['api', 'GET', `/services/data/v64.0/sobjects/Account/${id}`], env)).stdout,
    ) as Record<string, unknown>;
    expect(got).toMatchObject({ Name: 'Api Corp', NumberOfEmployees: 7 });
    const body = join(tempDir(), 'body.json');
    writeFileSync(body, JSON.stringify({ Name: 'Api Renamed' }));
    const patched = await sfx(['api', 'PATCH', `sobjects/Account/${id}`, '--input', body], env);
    expect(patched.code).toBe(0);
    expect(emu().store.findById(id)?.row.Name).toBe('Api Renamed');
    const bad = await sfx(['api', 'FETCH', 'limits'], env);
    expect(bad.code).toBe(2);
  });

  it('apex run FILE: executeAnonymous through the Tooling API; exit 1 on a compile problem', async () => {
    const env = tokenEnv(emu());
    const file = join(tempDir(), 'hello.apex');
    writeFileSync(file, "System.debug('hello');");
    const ok = await sfx(['apex', 'run', file], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe('Executed successfully.');
    emu().tooling.answerExecuteAnonymous({
      compiled: false,
      compileProblem: "Unexpected token 'x'",
      line: 1,
      column: 5,
    });
    const bad = await sfx(['apex', 'run', file, '--json'], env);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      compiled: false,
      success: false,
      compileProblem: "Unexpected token 'x'",
      line: 1,
      column: 5,
    });
  });

  it('login --client-credentials, --jwt-key-file and --access-token; the stored org works without env', async () => {
    const c = emu().credentials;
    const dir = tempDir();
    const base = ['--login-url', emu().loginUrl, '--client-id', c.clientId];
    const cc = await sfx(
      [
        'login',
        '--alias',
        'cc',
        ...base,
        '--client-secret',
        c.clientSecret,
        '--client-credentials',
        '--json',
      ],
      { SFX_CONFIG_DIR: dir },
    );
    expect(cc.code).toBe(0);
    expect(JSON.parse(cc.stdout)).toMatchObject({ alias: 'cc', flow: 'client-credentials' });
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    emu().registerJwtKey(publicKey);
    const key = join(dir, 'server.key');
    writeFileSync(key, privateKey);
    const jwt = await sfx(
      ['login', '--alias', 'jwt', ...base, '--username', c.username, '--jwt-key-file', key, '--json'],
      { SFX_CONFIG_DIR: dir },
    );
    expect(jwt.code).toBe(0);
    expect(JSON.parse(jwt.stdout)).toMatchObject({ alias: 'jwt', flow: 'jwt', username: c.username });
    const token = emu().issueToken().accessToken;
    const tok = await sfx(
      ['login', '--alias', 'tok', '--instance-url', emu().instanceUrl, '--access-token', '-', '--json'],
      { SFX_CONFIG_DIR: dir, SF_ACCESS_TOKEN: token },
    );
    expect(tok.code).toBe(0);
    for (const alias of ['cc', 'jwt', 'tok']) {
      const q = await sfx(['query', 'SELECT Id FROM User', '--org', alias, '--json'], {
        SFX_CONFIG_DIR: dir,
      });
      expect(q.code).toBe(0);
    }
    const file = readFileSync(join(dir, 'credentials.json'), 'utf8');
    for (const r of [cc, jwt, tok]) expect(r.stdout + r.stderr).not.toMatch(/accessToken|00D\w{12}!/);
    expect(file).toContain('"jwt"');
  });

  it('a stored org renews an expired token with its refresh token and saves the new one', async () => {
    const dir = tempDir();
    await loginTo(emu(), dir, 'renew');
    // Salesforce's password flow issues no refresh token: store tokens as the web flow would.
    const path = join(dir, 'credentials.json');
    type Stored = { orgs: Record<string, { accessToken: string; refreshToken?: string }> };
    const file = JSON.parse(readFileSync(path, 'utf8')) as Stored;
    const issued = emu().issueToken();
    Object.assign(file.orgs.renew ?? {}, {
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
    });
    writeFileSync(path, JSON.stringify(file), { mode: 0o600 });
    emu().faults.expireToken(issued.accessToken);
    const q = await sfx(['query', 'SELECT Id FROM User', '--json'], { SFX_CONFIG_DIR: dir });
    expect(q.code).toBe(0);
    const after = (JSON.parse(readFileSync(path, 'utf8')) as Stored).orgs.renew;
    expect(after?.accessToken).not.toBe(issued.accessToken);
    expect(after?.refreshToken).toBe(issued.refreshToken);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('login --web: PKCE through a callback on 127.0.0.1 (the browser played by fetch)', async () => {
    const c = emu().credentials;
    const dir = tempDir();
    const child = spawnSfx(
      [
        'login',
        '--web',
        '--alias',
        'web',
        '--port',
        '0',
        '--no-browser',
        '--login-url',
        emu().loginUrl,
        '--client-id',
        c.clientId,
        '--client-secret',
        c.clientSecret,
      ],
      { SFX_CONFIG_DIR: dir },
    );
    let stderr = '';
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const url = await new Promise<string>((resolve) => {
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
        const found = /^(http\S+authorize\S+)$/m.exec(stderr);
        if (found) resolve(found[1] as string);
      });
    });
    expect(url).toContain('code_challenge=');
    expect(stderr).toMatch(/callback on http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback/);
    const page = await fetch(url);
    expect(await page.text()).toContain('Logged in');
    expect(await exit).toBe(0);
    expect(stdout).toMatch(/Logged in to .* \(alias 'web', web flow\)/);
    const orgs = JSON.parse((await sfx(['orgs', '--json'], { SFX_CONFIG_DIR: dir })).stdout) as {
      orgs: Array<{ alias: string }>;
    };
    expect(orgs.orgs.map((o) => o.alias)).toEqual(['web']);
  });

  it('emulator: starts one, logs in to it as an alias, stops on Ctrl-C and forgets the alias', async () => {
    const dir = tempDir();
    const child = spawnSfx(['emulator', '--alias', 'local'], { SFX_CONFIG_DIR: dir });
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let stdout = '';
    await new Promise<void>((resolve) => {
      child.stdout?.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('Press Ctrl-C')) resolve();
      });
    });
    expect(stdout).toMatch(/Emulator listening on http:\/\/127\.0\.0\.1:\d+, logged in as 'local'/);
    const q = await sfx(['query', 'SELECT Name FROM Account LIMIT 1', '--org', 'local', '--json'], {
      SFX_CONFIG_DIR: dir,
    });
    expect(q.code).toBe(0);
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    const orgs = JSON.parse((await sfx(['orgs', '--json'], { SFX_CONFIG_DIR: dir })).stdout) as {
      orgs: unknown[];
    };
    expect(orgs.orgs).toEqual([]);
  });
});
