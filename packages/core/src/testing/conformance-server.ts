import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the conformance server saw; the suite reads it to check streaming and reuse. */
export interface ConformanceServerState {
  /** Bytes of the current download written to the socket so far. */
  downloadWritten: number;
  /** Bytes of the current upload received so far. */
  uploadReceived: number;
  /** Remote ports of connections accepted, in order. */
  connections: number[];
  /** Responses to `/trickle` (a body that never ends) whose connection has closed. */
  trickleClosed: number;
}

export interface ConformanceServer {
  url: string;
  state: ConformanceServerState;
  /** Lets a paused upload handler read on. */
  resumeUpload(): void;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 0x61);

/** A loopback server with the endpoints the transport conformance suite drives. */
export async function startConformanceServer(): Promise<ConformanceServer> {
  const state: ConformanceServerState = {
    downloadWritten: 0,
    uploadReceived: 0,
    connections: [],
    trickleClosed: 0,
  };
  let uploadGate: (() => void) | undefined;
  let uploadGateOpen = false;
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => state.connections.push(socket.remotePort ?? 0));

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const route = url.pathname;
    if (route.startsWith('/status/')) {
      const status = Number(route.slice('/status/'.length));
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-custom': 'yes',
        'X-Mixed-Case': 'Value',
      });
      res.end(status === 204 || status === 304 ? undefined : JSON.stringify({ status }));
      return;
    }
    if (route === '/echo') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          method: req.method,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      return;
    }
    if (route === '/upload') {
      // Reads slowly at first (paused until the suite resumes) to prove the client streams.
      uploadGateOpen = url.searchParams.get('pause') !== '1';
      state.uploadReceived = 0;
      const hash = createHash('sha256');
      for await (const c of req) {
        if (!uploadGateOpen) {
          await new Promise<void>((resolve) => {
            uploadGate = resolve;
          });
          uploadGateOpen = true;
        }
        hash.update(c as Buffer);
        state.uploadReceived += (c as Buffer).length;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ bytes: state.uploadReceived, sha256: hash.digest('hex') }));
      return;
    }
    if (route === '/download') {
      const size = Number(url.searchParams.get('bytes') ?? '0');
      state.downloadWritten = 0;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(size) });
      while (state.downloadWritten < size && !res.destroyed) {
        const n = Math.min(CHUNK.length, size - state.downloadWritten);
        const ok = res.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n));
        state.downloadWritten += n;
        if (!ok) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
      }
      res.end();
      return;
    }
    if (route === '/slow-headers') {
      const ms = Number(url.searchParams.get('ms') ?? '5000');
      const timer = setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      }, ms);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if (route === '/stall-body') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
      return; // never finishes: the client's body timeout or abort must end it
    }
    if (route === '/trickle') {
      // Headers at once, then one byte every `ms` for ever: no per-step timeout ever fires.
      const ms = Number(url.searchParams.get('ms') ?? '100');
      res.writeHead(Number(url.searchParams.get('status') ?? '200'), { 'content-type': 'application/json' });
      res.write('[');
      const timer = setInterval(() => res.write(' '), ms);
      res.on('close', () => {
        clearInterval(timer);
        state.trickleClosed++;
      });
      return;
    }
    if (route === '/big') {
      const size = Number(url.searchParams.get('bytes') ?? '0');
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (url.searchParams.get('chunked') !== '1') headers['content-length'] = String(size + 2);
      res.writeHead(200, headers);
      res.end(`"${'a'.repeat(size)}"`);
      return;
    }
    if (route === '/reset') {
      req.socket.destroy();
      return;
    }
    res.writeHead(404);
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    resumeUpload() {
      uploadGateOpen = true;
      uploadGate?.();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
