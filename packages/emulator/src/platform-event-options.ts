// The `streaming` option of startEmulator: platform event fields may be given as names or as
// objects shaped like customObjects fields (`{ name: 'Amount__c', type: 'currency' }`).

import type { CustomFieldDefinition } from './metadata/custom-objects.js';
import type { PlatformEventDefinition, StreamingOptions } from './streaming/streaming.js';

/** A platform event as `startEmulator({ streaming: { platformEvents } })` takes it. */
export interface PlatformEventOption {
  /** API name, ending in `__e`. */
  name: string;
  /** Custom fields: names (`'Amount__c'`) or field declarations (`{ name: 'Amount__c', type: 'currency' }`). */
  fields?: (string | CustomFieldDefinition)[];
}

/** CometD options, with platform event fields in either form. */
export type EmulatorStreamingOptions = Omit<StreamingOptions, 'platformEvents'> & {
  platformEvents?: PlatformEventOption[];
};

function fieldName(field: unknown, event: string): string {
  const name = typeof field === 'string' ? field : (field as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`[@sf/emulator] platform event ${event}: each field is a name or { name, type }`);
  }
  return name;
}

/** The options the streaming module takes: every platform event field as its name. */
export function streamingOptions(
  options: EmulatorStreamingOptions | undefined,
): StreamingOptions | undefined {
  if (options?.platformEvents === undefined) return options as StreamingOptions | undefined;
  const platformEvents = options.platformEvents.map((def): PlatformEventDefinition => {
    if (def.fields === undefined) return { name: def.name };
    return { name: def.name, fields: def.fields.map((f) => fieldName(f, def.name)) };
  });
  return { ...options, platformEvents };
}
