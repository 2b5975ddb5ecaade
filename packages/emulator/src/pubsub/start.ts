// `startEmulator({ pubsub })`: wires the Pub/Sub server to the CometD side's events and the
// org's platform events (field types from `pubsub.eventFields`, or from typed field declarations
// in `streaming.platformEvents`).

import type { EmulatorContext } from '../context.js';
import type { EmulatorStreaming } from '../streaming/streaming.js';
import type { EventFieldType } from './avro-schemas.js';
import { EmulatorPubSub, type PubSubOptions } from './pubsub-server.js';

const TYPES: Record<string, EventFieldType> = {
  checkbox: 'boolean',
  boolean: 'boolean',
  int: 'int',
  long: 'long',
  number: 'double',
  double: 'double',
  currency: 'double',
  percent: 'double',
  date: 'long',
  datetime: 'long',
};

/** @internal */
export async function startPubSub(
  ctx: EmulatorContext,
  streaming: EmulatorStreaming,
  option: true | PubSubOptions,
  platformEvents: ReadonlyArray<{ name: string; fields?: ReadonlyArray<unknown> }> = [],
): Promise<EmulatorPubSub> {
  const options: PubSubOptions = option === true ? {} : { ...option };
  const eventFields: Record<string, Record<string, EventFieldType>> = {};
  for (const def of platformEvents) {
    for (const f of def.fields ?? []) {
      if (typeof f === 'string') continue;
      const { name, type } = f as { name: string; type?: unknown };
      const avro = typeof type === 'string' ? TYPES[type.toLowerCase()] : undefined;
      if (avro) (eventFields[def.name] ??= {})[name] = avro;
    }
  }
  for (const [event, fields] of Object.entries(options.eventFields ?? {})) {
    eventFields[event] = { ...eventFields[event], ...fields };
  }
  options.eventFields = eventFields;
  const pubsub = await EmulatorPubSub.start(
    ctx,
    streaming,
    { get: (name) => streaming.platformEvent(name) },
    options,
  );
  streaming.onPublish((channel) => pubsub.published(channel));
  return pubsub;
}
