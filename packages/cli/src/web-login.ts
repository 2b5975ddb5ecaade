// The web-server flow with PKCE: a callback server on 127.0.0.1, the browser sent to
// Salesforce's authorize page, and the code exchanged with the verifier the client kept.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOAuth2Client } from '@sf/auth';
import type { Credentials } from '@sf/core';
import type { Context } from './context.js';
import { cliError } from './errors.js';

export interface WebLoginOptions {
  clientId: string;
  clientSecret?: string;
  loginUrl: string;
  port: number;
  openBrowser: boolean;
}

function open(url: string): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    spawn(command, [url], { stdio: 'ignore', detached: true })
      .on('error', () => {})
      .unref();
  } catch {
    // No browser here: the URL is printed.
  }
}

/** Runs the web-server flow; resolves with the credentials once the callback got the code. */
export async function webLogin(ctx: Context, o: WebLoginOptions): Promise<Credentials> {
  const server = createServer();
  server.listen(o.port, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const redirectUri = `http://127.0.0.1:${port}/oauth2/callback`;
    const client = createOAuth2Client({
      clientId: o.clientId,
      ...(o.clientSecret ? { clientSecret: o.clientSecret } : {}),
      loginUrl: o.loginUrl,
      redirectUri,
    });
    const pending = client.getAuthorizationUrl({ scope: 'api id refresh_token' });
    const done = new Promise<Credentials>((resolve, reject) => {
      server.on('request', (req, res) => {
        const url = new URL(req.url ?? '/', redirectUri);
        if (url.pathname !== '/oauth2/callback') {
          res.writeHead(404).end();
          return;
        }
        const error = url.searchParams.get('error');
        if (error) {
          res
            .writeHead(400, { 'content-type': 'text/plain' })
            .end(`Login refused: ${error}. You can close this tab.`);
          reject(
            cliError(
              'AUTH_FAILED',
              `the login was refused: ${error} ${url.searchParams.get('error_description') ?? ''}`.trim(),
            ),
          );
          return;
        }
        if (url.searchParams.get('state') !== pending.state) {
          res
            .writeHead(400, { 'content-type': 'text/plain' })
            .end('This callback is not for this login (state differs).');
          return;
        }
        client
          .exchangeCode(url.searchParams.get('code') ?? '', { state: pending.state, signal: ctx.signal })
          .then(
            (credentials) => {
              res
                .writeHead(200, { 'content-type': 'text/plain' })
                .end('Logged in. You can close this tab and go back to the terminal.');
              resolve(credentials);
            },
            (failure: unknown) => {
              res.writeHead(400, { 'content-type': 'text/plain' }).end('The login failed; see the terminal.');
              reject(failure);
            },
          );
      });
    });
    ctx.out.note(
      `Open this URL in a browser to log in (waiting for the callback on ${redirectUri}):\n${pending.url}`,
    );
    if (o.openBrowser && process.stdout.isTTY) open(pending.url);
    const aborted = new Promise<never>((_, reject) => {
      ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
    });
    return await Promise.race([done, aborted]);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
