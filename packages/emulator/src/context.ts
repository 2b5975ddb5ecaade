// What every route module receives. Later modules (Bulk, SOQL, CometD, composite, Apex REST)
// are functions of this context, registered in emulator.ts or passed in `startEmulator({ modules })`.

import type { SessionRegistry } from './sessions.js';
import type { Router } from './router.js';
import type { OrgStore } from './store.js';

/** The built-in user's login and the connected app's keys. */
export interface EmulatorCredentials {
  username: string;
  password: string;
  securityToken: string;
  clientId: string;
  clientSecret: string;
}

export interface BuiltInUser {
  userId: string;
  username: string;
}

export interface EmulatorContext {
  readonly router: Router;
  readonly store: OrgStore;
  readonly sessions: SessionRegistry;
  readonly apiVersion: string;
  /** `http://127.0.0.1:PORT`, set once the server listens (before any request arrives). */
  url: string;
  readonly credentials: EmulatorCredentials;
  /** `admin` logs in with the password grant; `integration` is who client_credentials runs as. */
  readonly users: { admin: BuiltInUser; integration: BuiltInUser };
  /** Daily API requests: `used` grows with every authenticated REST call. */
  readonly apiUsage: { used: number; max: number };
}

/** A group of routes. Register with `ctx.router.add(...)`. */
export type EmulatorModule = (ctx: EmulatorContext) => void;
