// How the Pub/Sub server hears of what the CometD side publishes, and which platform events
// the org defines. EmulatorStreaming (src/streaming/, kept by another part of the emulator)
// offers no listener for either, so its two public methods are wrapped on the instance; its own
// calls (`this.publish(...)` from change events and REST publishing) go through the wrapper too.
// A proper `onPublish` hook on EmulatorStreaming would replace this file.

import type { EmulatorStreaming, PlatformEventDefinition } from '../streaming/streaming.js';

export interface StreamingTap {
  /** Platform events by lower-cased name. */
  readonly platformEvents: Map<string, PlatformEventDefinition>;
  /** Hears every retained event's channel, after it was retained. */
  onPublish(listener: (channel: string) => void): void;
}

export function tapStreaming(
  streaming: EmulatorStreaming,
  initial: readonly PlatformEventDefinition[],
): StreamingTap {
  const platformEvents = new Map(initial.map((def) => [def.name.toLowerCase(), def]));
  const listeners: Array<(channel: string) => void> = [];
  const publish = streaming.publish.bind(streaming);
  const define = streaming.definePlatformEvent.bind(streaming);
  streaming.publish = (channel, build) => {
    const replayId = publish(channel, build);
    for (const listener of listeners) listener(channel);
    return replayId;
  };
  streaming.definePlatformEvent = (def) => {
    define(def);
    platformEvents.set(def.name.toLowerCase(), def);
  };
  return { platformEvents, onPublish: (listener) => void listeners.push(listener) };
}
