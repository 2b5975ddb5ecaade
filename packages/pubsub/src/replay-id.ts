// Replay ids are opaque bytes on the wire; the replay store and the application see them as
// base64 strings, which JSON files and databases keep without fuss.

/** A replay id as the application sees it: the wire bytes, base64. */
export type ReplayId = string;

/** @internal */
export function replayIdToBytes(id: ReplayId): Buffer {
  return Buffer.from(id, 'base64');
}

/** @internal */
export function replayIdFromBytes(bytes: Uint8Array | undefined | null): ReplayId | undefined {
  if (!bytes || bytes.length === 0) return undefined;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
