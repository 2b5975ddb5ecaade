// CONVENTIONS.md, checked where a machine can check it, over what each client package exports
// (its src/index.ts, as the type checker sees it):
// - rule 1: a number-valued option or field that names a duration ends in `Ms`;
// - rule 2: every exported call that returns a promise, an async iterable or an awaitable
//   takes `signal` (in its last options object);
// - rule 7: no source file of a client package is over 400 lines unless its opening comment
//   says why it is one file;
// - rule 11: every exported function whose first parameter is a Connection refuses nforce's
//   per-call oauth object given as its last argument (after every declared one), with
//   INVALID_ARGUMENT before anything is sent (run for real, over a transport that records).
// The few exceptions are listed with their reason; the list only shrinks.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as auth from '@sf/auth';
import * as bulk from '@sf/bulk';
import * as client from '@sf/client';
import * as core from '@sf/core';
import * as pubsub from '@sf/pubsub';
import * as query from '@sf/query';
import * as recordStream from '@sf/record-stream';
import * as sobject from '@sf/sobject';
import * as streaming from '@sf/streaming';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './blocks.js';

/** Each client package's runtime exports, by folder name. */
const MODULES: Readonly<Record<string, Record<string, unknown>>> = {
  auth,
  bulk,
  client,
  core,
  pubsub,
  query,
  'record-stream': recordStream,
  sobject,
  streaming,
};

const CLIENT_PACKAGES = [
  'core',
  'auth',
  'query',
  'sobject',
  'bulk',
  'streaming',
  'pubsub',
  'record-stream',
  'client',
];

// Packages whose async calls are all local (stream transforms over records already read).
const LOCAL_PACKAGES = new Set(['record-stream']);

const DURATION =
  /(timeout|interval|delay|wait|ttl|lifetime|expires?(in)?$|period|keepalive|duration|backoff|age$|elapsed)/i;

/** Fields named after Salesforce's own wire shapes keep Salesforce's names. */
const WIRE_NAMES = new Set([
  // SOAP login's result: Salesforce's field, in seconds.
  'SoapLoginResult.sessionSecondsValid',
]);

/** The promise protocol itself: `then`/`catch`/`finally` of an awaitable. */
const PROMISE_PROTOCOL = new Set(['then', 'catch', 'finally']);

/** Calls that return a promise but send nothing of their own over the network. */
const LOCAL_CALLS = new Set<string>([
  // In memory.
  'auth:MemoryTokenStore.get',
  'auth:MemoryTokenStore.set',
  'auth:MemoryTokenStore.delete',
  // Writes to the app's own token store: the app's I/O, not a request to Salesforce.
  'auth:MultiUser.save',
  'auth:MultiUser.forget',
  // Records to CSV bytes, locally.
  'bulk:toCsvBytes',
  // A response already requested: its request's signal and bodyTimeoutMs govern the body.
  'core:ResponseParts.discard',
  'core:TransportResponse.body',
  'core:TransportResponse.cancel',
  'core:TransportResponse.json',
  'core:TransportResponse.text',
  'core:readBodyText',
  'core:readLimitedText',
  // A schema already fetched (or being fetched under its subscription's signal).
  'pubsub:PubSubClient.cachedSchema',
  // Governed by the signal the subscription was made with.
  'pubsub:Subscription.ready',
  'pubsub:Subscription.close',
  'pubsub:ManagedSubscription.ready',
  'pubsub:ManagedSubscription.close',
  'streaming:Subscription.ready',
  // Stores the app implements (tokens, replay ids): the app's own I/O.
  'auth:TokenStore.get',
  'auth:TokenStore.set',
  'auth:TokenStore.delete',
  'core:ReplayStore.get',
  'core:ReplayStore.set',
  // Views of a query made with its own signal (query(conn, soql, { signal })).
  'query:Query.stream',
  'query:Query.toCSV',
  'query:FindQuery.stream',
  'query:FindQuery.toCSV',
  // Make a Batch object (sent later by execute/pipe); no request of their own.
  'bulk:Job.batch',
  'bulk:Job.createBatch',
]);

/** Network calls that do not take a signal yet: each is to fix, and leaves this list then. */
const KNOWN_GAPS = new Set<string>([]);

/** Rule 11: calls that take a Connection but send nothing and act for no user. */
const NO_USER_CALLS = new Set<string>([
  // Forgets the connection's cached describes, locally.
  'sobject:clearDescribeCache',
]);

/** Rule 11: calls that do not refuse per-call credentials yet: each is to fix, and leaves this list then. */
const CREDENTIAL_GAPS = new Set<string>([]);

function program(): ts.Program {
  const roots = CLIENT_PACKAGES.map((name) => join(repoRoot, 'packages', name, 'src', 'index.ts'));
  return ts.createProgram(roots, {
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    customConditions: ['source'],
    noEmit: true,
    skipLibCheck: true,
  });
}

interface Exported {
  pkg: string;
  name: string;
  symbol: ts.Symbol;
}

function exportsOf(checker: ts.TypeChecker, prog: ts.Program): Exported[] {
  const out: Exported[] = [];
  for (const pkg of CLIENT_PACKAGES) {
    const file = prog.getSourceFile(join(repoRoot, 'packages', pkg, 'src', 'index.ts'));
    if (!file) continue;
    const moduleSymbol = checker.getSymbolAtLocation(file);
    if (!moduleSymbol) continue;
    for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      out.push({ pkg, name: symbol.getName(), symbol: target });
    }
  }
  return out;
}

function isNumberish(type: ts.Type): boolean {
  const parts = type.isUnion() ? type.types : [type];
  const nullish = ts.TypeFlags.Undefined | ts.TypeFlags.Null;
  return (
    parts.some((t) => (t.flags & ts.TypeFlags.NumberLike) !== 0) &&
    parts.every((t) => (t.flags & (ts.TypeFlags.NumberLike | nullish)) !== 0)
  );
}

describe('CONVENTIONS.md, checked over every client package export', () => {
  const prog = program();
  const checker = prog.getTypeChecker();
  const exported = exportsOf(checker, prog);

  it('finds the exports (the check is not vacuous)', () => {
    expect(exported.length).toBeGreaterThan(200);
  });

  it('rule 1: number fields that name a duration end in Ms', () => {
    const offenders = new Set<string>();
    const seen = new Set<ts.Type>();
    const visit = (owner: string, type: ts.Type, depth: number) => {
      if (depth > 3 || seen.has(type)) return;
      seen.add(type);
      for (const prop of checker.getPropertiesOfType(type)) {
        const decl = prop.valueDeclaration ?? prop.declarations?.[0];
        if (!decl) continue;
        // Only our own declarations: not lib or dependency types.
        if (!decl.getSourceFile().fileName.includes('/packages/')) continue;
        const propType = checker.getTypeOfSymbolAtLocation(prop, decl);
        const name = prop.getName();
        if (isNumberish(propType) && DURATION.test(name) && !/Ms$/.test(name)) {
          const where = `${owner}.${name}`;
          if (!WIRE_NAMES.has(where)) offenders.add(where);
        }
        if (propType.getCallSignatures().length === 0 && (propType.flags & ts.TypeFlags.Object) !== 0) {
          visit(owner, propType, depth + 1);
        }
      }
    };
    for (const { name, symbol } of exported) {
      if (!(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias))) continue;
      visit(name, checker.getDeclaredTypeOfSymbol(symbol), 0);
    }
    expect([...offenders].sort()).toEqual([]);
  });

  it('rule 2: every exported call that returns a promise or an async iterable takes a signal', () => {
    const offenders = new Set<string>();
    // A promise, anything awaitable (`then`), or anything async-iterable (a record stream).
    const returnsAsync = (type: ts.Type): boolean => {
      const parts = type.isUnion() ? type.types : [type];
      return parts.some(
        (t) =>
          checker.getPropertyOfType(t, 'then') !== undefined ||
          checker.getPropertiesOfType(t).some((p) => p.getName().startsWith('__@asyncIterator')),
      );
    };
    const takesSignal = (sig: ts.Signature): boolean =>
      sig.getParameters().some((param) => {
        const decl = param.valueDeclaration;
        if (!decl) return false;
        const type = checker.getTypeOfSymbolAtLocation(param, decl);
        const parts = type.isUnion() ? type.types : [type];
        // An options object with `signal` (rule 2), or, for low-level building blocks
        // (`sleep(ms, signal)`, `AuthSession.renew(rejected, signal)`), a positional AbortSignal.
        return parts.some(
          (t) =>
            checker.getPropertyOfType(t, 'signal') !== undefined ||
            t.getSymbol()?.getName() === 'AbortSignal',
        );
      });
    const checkCallable = (where: string, type: ts.Type, owner?: ts.Type) => {
      if (LOCAL_PACKAGES.has(where.split(':')[0]!)) return;
      const signatures = type.getCallSignatures();
      if (signatures.length === 0) return;
      // A method that returns its own object (`on`, `sort`, `limit`: chaining) sends nothing.
      const asyncSigs = signatures.filter((s) => {
        const ret = s.getReturnType();
        if (
          owner &&
          (ret === owner ||
            ret.getSymbol() === owner.getSymbol() ||
            (ret.flags & ts.TypeFlags.TypeParameter) !== 0)
        ) {
          return false;
        }
        return returnsAsync(ret);
      });
      if (
        asyncSigs.length > 0 &&
        !asyncSigs.some(takesSignal) &&
        !LOCAL_CALLS.has(where) &&
        !KNOWN_GAPS.has(where)
      ) {
        offenders.add(where);
      }
    };
    for (const { pkg, name, symbol } of exported) {
      const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
      if (!decl) continue;
      if (symbol.flags & ts.SymbolFlags.Function) {
        checkCallable(`${pkg}:${name}`, checker.getTypeOfSymbolAtLocation(symbol, decl));
      }
      const owner =
        symbol.flags & ts.SymbolFlags.Class
          ? checker.getDeclaredTypeOfSymbol(symbol)
          : symbol.flags & ts.SymbolFlags.Interface
            ? checker.getDeclaredTypeOfSymbol(symbol)
            : undefined;
      if (!owner) continue;
      for (const prop of checker.getPropertiesOfType(owner)) {
        const pdecl = prop.valueDeclaration ?? prop.declarations?.[0];
        if (!pdecl?.getSourceFile().fileName.includes('/packages/')) continue;
        if (prop.getName().startsWith('#') || PROMISE_PROTOCOL.has(prop.getName())) continue;
        checkCallable(
          `${pkg}:${name}.${prop.getName()}`,
          checker.getTypeOfSymbolAtLocation(prop, pdecl),
          owner,
        );
      }
    }
    expect([...offenders].sort()).toEqual([]);
  });

  it('rule 11: every exported function taking a Connection first refuses an oauth object last, sending nothing', async () => {
    const takers: { where: string; fn: unknown; declared: number }[] = [];
    for (const { pkg, name, symbol } of exported) {
      if (!(symbol.flags & ts.SymbolFlags.Function)) continue;
      const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
      if (!decl) continue;
      const signatures = checker.getTypeOfSymbolAtLocation(symbol, decl).getCallSignatures();
      const takes = signatures.find((sig) => {
        const first = sig.getParameters()[0];
        const pdecl = first?.valueDeclaration;
        if (!first || !pdecl) return false;
        return checker.getTypeOfSymbolAtLocation(first, pdecl).getSymbol()?.getName() === 'Connection';
      });
      if (!takes || NO_USER_CALLS.has(`${pkg}:${name}`)) continue;
      const declared = Math.max(...signatures.map((sig) => sig.getParameters().length));
      takers.push({ where: `${pkg}:${name}`, fn: MODULES[pkg]?.[name], declared });
    }
    // Not vacuous: query, find, load, bulkQuery, sobject, subscribe, publish, identity...
    expect(takers.length).toBeGreaterThan(20);
    const TOKEN = '00Dxx0000001gPL!AQ4AQConventionsToken';
    const sent: string[] = [];
    const conn = core.createConnection({
      instanceUrl: 'https://example.my.salesforce.com',
      auth: 'the connection user token',
      transport: async (request) => {
        sent.push(`${request.method} ${request.url}`);
        throw new Error('nothing may be sent');
      },
    });
    const offenders: string[] = [];
    for (const { where, fn, declared } of takers) {
      // nforce's multi-user call: the user's token response after every argument we declare.
      const oauth = { access_token: TOKEN, instance_url: 'https://example.my.salesforce.com' };
      const args: unknown[] = [conn, ...Array.from({ length: declared - 1 }, () => undefined), oauth];
      let error: unknown;
      try {
        const result = (fn as (...a: unknown[]) => unknown)(...args);
        if (typeof (result as { then?: unknown } | undefined)?.then === 'function') await result;
      } catch (caught) {
        error = caught;
      }
      const message = error instanceof Error ? error.message : '';
      const refused =
        core.isSalesforceError(error, 'INVALID_ARGUMENT') &&
        message.includes('takes no credentials') &&
        !message.includes(TOKEN);
      if (!refused) offenders.push(where);
    }
    // A gap that was fixed leaves the list, so it only shrinks.
    expect(offenders.sort()).toEqual([...CREDENTIAL_GAPS].sort());
    expect(sent).toEqual([]);
  });

  it('rule 7: no client source file over 400 lines without a reason at its top', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts')) {
          const text = readFileSync(path, 'utf8');
          const lines = text.split('\n').length;
          const head = text.slice(0, 1200);
          // "~400 lines": a file a few lines over is not worth splitting.
          if (lines > 420 && !/one file|why it is|is long because|kept together/i.test(head)) {
            offenders.push(`${path.slice(repoRoot.length)} (${lines} lines)`);
          }
        }
      }
    };
    for (const pkg of CLIENT_PACKAGES) walk(join(repoRoot, 'packages', pkg, 'src'));
    expect(offenders).toEqual([]);
  });
});
