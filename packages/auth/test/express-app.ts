// A real express app with express-session on 127.0.0.1, and a tiny cookie-keeping fetch so
// tests can walk redirects by hand, as a browser would.

import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { Express } from 'express';

// Vitest starts its workers with `--conditions import` (from the root config's resolve
// conditions), so Node's own `require('is-promise')` inside express's router resolves to the
// package's ESM build and gets a namespace instead of a function. Seed the require cache with
// the CommonJS build under that path before express loads.
const require = createRequire(import.meta.url);
const routerRequire = createRequire(
  require.resolve('router', { paths: [dirname(require.resolve('express'))] }),
);
const isPromisePath = routerRequire.resolve('is-promise');
if (isPromisePath.endsWith('.mjs') && !require.cache[isPromisePath]) {
  const cjs = routerRequire(join(dirname(isPromisePath), 'index.js')) as unknown;
  require.cache[isPromisePath] = {
    id: isPromisePath,
    filename: isPromisePath,
    loaded: true,
    exports: cjs,
  } as NodeJS.Module;
}
const express = require('express') as typeof import('express');
const session = require('express-session') as typeof import('express-session');

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

/** An express app with sessions; `setup` adds routes (called before it listens, with its URL known). */
export async function startApp(setup: (app: Express, url: string) => void): Promise<RunningApp> {
  const app = express();
  app.use(session({ secret: 'test-session-secret', resave: false, saveUninitialized: false }));
  let server: Server | undefined;
  const url = await new Promise<string>((resolve) => {
    server = app.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`),
    );
  });
  setup(app, url);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server!.closeAllConnections();
        server!.close(() => resolve());
      }),
  };
}

/** A browser's cookie jar (one host is enough here) and a fetch that never follows redirects. */
export class Browser {
  readonly cookies = new Map<string, string>();

  async get(url: string): Promise<{ status: number; location: string | undefined; body: string }> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    const location = res.headers.get('location') ?? undefined;
    return {
      status: res.status,
      location: location ? new URL(location, url).toString() : undefined,
      body: await res.text(),
    };
  }

  /** Follows redirects by hand (across hosts, cookies for our app only matter), returning every hop. */
  async follow(url: string, maxHops = 10): Promise<Array<{ url: string; status: number; body: string }>> {
    const hops = [];
    let next: string | undefined = url;
    for (let i = 0; next && i < maxHops; i++) {
      const res: Awaited<ReturnType<Browser['get']>> = await this.get(next).catch((e: unknown) => {
        throw new Error(`GET ${next} failed`, { cause: e });
      });
      hops.push({ url: next, status: res.status, body: res.body });
      next = res.status >= 300 && res.status < 400 ? res.location : undefined;
    }
    return hops;
  }
}
