export { changeEvents, genericChannel, platformEvent, topic } from './channels.js';
export {
  createChannel,
  type PublishOptions,
  type PublishResult,
  type PushResult,
  publishEvent,
  publishEvents,
  pushToChannel,
} from './publish.js';
export { createFileReplayStore, createMemoryReplayStore, type ReplayStore } from './replay-store.js';
export { createStreamingClient, subscribe } from './streaming-client.js';
export type {
  StreamingClient,
  StreamingClientEvents,
  StreamingClientOptions,
  SubscribeOptions,
} from './streaming-types.js';
export type {
  ReplayGap,
  ReplayPolicy,
  StreamingMessage,
  Subscription,
  SubscriptionEvents,
} from './subscription.js';
