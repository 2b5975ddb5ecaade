import type { Readable } from 'node:stream';

/** Reads a text/byte stream to a string (tests only: real code streams it onward). */
export async function text(stream: Readable): Promise<string> {
  let out = '';
  for await (const chunk of stream)
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  return out;
}
