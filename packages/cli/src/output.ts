// Writing to stdout with backpressure (a million rows never pile up in memory), one JSON
// document under --json, and messages for people on stderr.
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes text to a stream, waiting for `drain` when its buffer is full. */
export async function writeText(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** Where a command's output goes. */
export class Output {
  constructor(
    readonly json: boolean,
    readonly stdout: Writable = process.stdout,
    readonly stderr: Writable = process.stderr,
  ) {}

  /** The command's result: `value` as JSON under --json, else the human text. */
  async result(value: unknown, human: () => string): Promise<void> {
    const text = this.json ? `${JSON.stringify(value, null, 2)}\n` : human();
    if (text) await writeText(this.stdout, text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A message for a person (stderr, so stdout stays data). */
  note(line: string): void {
    this.stderr.write(`${line}\n`);
  }
}
