import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

describe('pubsub_api.proto', () => {
  it('the client and the emulator keep identical copies (the emulator imports no client package)', async () => {
    const client = await readFile(new URL('../src/proto/pubsub_api.proto', import.meta.url), 'utf8');
    const emulator = await readFile(
      new URL('../../emulator/src/pubsub/pubsub_api.proto', import.meta.url),
      'utf8',
    );
    expect(emulator).toBe(client);
    // The documented field numbers that replay and flow control depend on.
    expect(client).toMatch(/message FetchRequest \{[^}]*bytes replay_id = 3;[^}]*int32 num_requested = 4;/s);
    expect(client).toMatch(/enum ReplayPreset \{\s*LATEST = 0;\s*EARLIEST = 1;/);
  });
});
