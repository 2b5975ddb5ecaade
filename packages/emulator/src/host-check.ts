// The emulator listens on 127.0.0.1 only, but a web page on another site can still reach it
// through the browser by DNS rebinding (its own name resolving to 127.0.0.1), then log in with
// the emulator's well-known credentials. Such a request carries that site's name in `Host`, so
// answering only loopback names (and the ones the caller adds) closes the door.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendErrors } from './http-util.js';

/** Host names answered whatever the options say (with any port). */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** Extra host names to answer, or `'*'` for any Host. */
export type AllowedHosts = readonly string[] | '*';

const HOST_NAME =
  /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)$/;

/** Checks `startEmulator({ allowedHosts })` and returns the names to answer, lower-cased. */
export function hostPolicy(option: unknown): Set<string> | '*' {
  if (option === undefined) return new Set(LOOPBACK_HOSTS);
  if (option === '*') return '*';
  if (!Array.isArray(option)) {
    throw new TypeError(`[@sf/emulator] allowedHosts must be an array of host names or '*'`);
  }
  const names = new Set(LOOPBACK_HOSTS);
  for (const name of option) {
    const lower = typeof name === 'string' ? name.toLowerCase() : '';
    if (!HOST_NAME.test(lower)) {
      throw new TypeError(
        `[@sf/emulator] allowedHosts holds host names without a port, such as 'emulator.internal'; got ${JSON.stringify(name)}`,
      );
    }
    names.add(lower);
  }
  return names;
}

/** The host name of a `Host` header without its port, lower-cased; undefined when malformed. */
export function hostName(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d{1,5}))?$/.exec(header.trim().toLowerCase());
  const name = match?.[1];
  return name ? name : undefined;
}

/** Whether a request's `Host` is one the emulator answers. */
export function hostAllowed(req: IncomingMessage, policy: Set<string> | '*'): boolean {
  if (policy === '*') return true;
  const name = hostName(req.headers.host);
  return name !== undefined && policy.has(name);
}

/** 403 in Salesforce's error shape; the unread body is drained and the connection closed. */
export function refuseHost(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  sendErrors(
    res,
    403,
    [
      {
        errorCode: 'HOST_NOT_ALLOWED',
        message:
          'This emulator answers requests for 127.0.0.1, localhost and [::1] only (add names with startEmulator({ allowedHosts }))',
      },
    ],
    { connection: 'close' },
  );
}
