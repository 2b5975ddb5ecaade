export type { AvroCodec, AvroRecordSchema, LongMode } from './avro.js';
export { decodeBitmap, decodeChangeEventHeader } from './bitmap.js';
export {
  DEFAULT_PUBSUB_ENDPOINT,
  PubSubClient,
  type PubSubClientOptions,
  pubsub,
  type TopicInfo,
} from './client.js';
export { type ManagedSubscribeOptions, ManagedSubscription, managedSubscribe } from './managed.js';
export {
  type PublishError,
  type PublishEvent,
  type PublishResult,
  PublishStream,
  publish,
  publishStream,
} from './publish.js';
export type { ReplayId } from './replay-id.js';
export { type SubscribeOptions, subscribe } from './subscribe.js';
export {
  type PubSubEvent,
  type ReconnectOptions,
  type ReplayGap,
  type ReplayPolicy,
  type StreamOptions,
  Subscription,
  type SubscriptionEvents,
} from './subscription.js';
