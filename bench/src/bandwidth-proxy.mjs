// A TCP proxy in front of the emulator that caps the bandwidth, as a real link to an org does:
// one budget per direction, shared by every connection (parallel downloads share the link, they
// do not each get it whole). Latency stays the emulator's (`emu.faults.latency`); this only
// paces bytes. Loopback has no such limit, so without it compression and early requests are
// measured where they can only cost.
import net from 'node:net';

/** Bytes per write: small enough that connections interleave on the shared link. */
const SLICE = 16 * 1024;
/** Bytes queued per direction of a connection before its source is paused. */
const HIGH_WATER = 256 * 1024;

/** A shared link of `bytesPerSecond` in one direction: `send(socket, chunk, source)`. */
function link(bytesPerSecond) {
  let freeAt = 0; // when the link has sent everything handed to it so far (performance.now ms)
  const queue = [];
  let timer;
  const pump = () => {
    timer = undefined;
    while (queue.length > 0) {
      const now = performance.now();
      if (freeAt > now + 1) {
        timer = setTimeout(pump, freeAt - now);
        return;
      }
      const item = queue[0];
      const slice = item.chunk.subarray(item.offset, item.offset + SLICE);
      item.offset += slice.length;
      if (item.offset >= item.chunk.length) queue.shift();
      item.conn.queued -= slice.length;
      freeAt = Math.max(freeAt, now) + (slice.length / bytesPerSecond) * 1000;
      if (!item.to.destroyed) item.to.write(slice);
      if (item.conn.queued < HIGH_WATER && item.from.isPaused()) item.from.resume();
      if (item.end && item.offset >= item.chunk.length && !item.to.destroyed) item.to.end();
    }
  };
  return {
    send(from, to, conn, chunk, end = false) {
      queue.push({ from, to, conn, chunk, offset: 0, end });
      conn.queued += chunk.length;
      if (conn.queued >= HIGH_WATER) from.pause();
      if (timer === undefined) pump();
    },
  };
}

/**
 * Starts the proxy on 127.0.0.1: `{ url, close() }`, forwarding to `target` (an http URL) at
 * `mbitPerSecond` each way.
 */
export async function startBandwidthProxy(target, mbitPerSecond) {
  const { hostname, port } = new URL(target);
  const rate = (mbitPerSecond * 1e6) / 8;
  const down = link(rate);
  const up = link(rate);
  const sockets = new Set();
  const server = net.createServer((client) => {
    const server = net.connect(Number(port), hostname);
    client.setNoDelay(true);
    server.setNoDelay(true);
    sockets.add(client).add(server);
    const toServer = { queued: 0 };
    const toClient = { queued: 0 };
    client.on('data', (chunk) => up.send(client, server, toServer, chunk));
    server.on('data', (chunk) => down.send(server, client, toClient, chunk));
    client.on('end', () => up.send(client, server, toServer, Buffer.alloc(0), true));
    server.on('end', () => down.send(server, client, toClient, Buffer.alloc(0), true));
    // An end is queued behind the paced bytes (above), so a side that closes first still has
    // everything it sent delivered; only an error cuts both at once.
    const destroy = () => {
      client.destroy();
      server.destroy();
    };
    client.on('error', destroy).on('close', () => sockets.delete(client));
    server.on('error', destroy).on('close', () => sockets.delete(server));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
