// Loads pubsub_api.proto (written for this package from Salesforce's documented messages) once,
// into grpc-js's generic client. The .proto ships in src/proto, which both src/ (tests) and
// dist/ (the published build) reach as ../src/proto.

import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** @internal Where the .proto is, from this module in src/ or in dist/. */
export const PROTO_PATH = fileURLToPath(new URL('../src/proto/pubsub_api.proto', import.meta.url));

/** @internal */
export type PubSubServiceClient = grpc.Client & Record<string, (...args: any[]) => any>;

let clientClass:
  | (new (
      address: string,
      credentials: grpc.ChannelCredentials,
      options?: grpc.ChannelOptions,
    ) => PubSubServiceClient)
  | undefined;

/** @internal The generated client class for `eventbus.v1.PubSub`. */
export function pubSubClientClass() {
  if (!clientClass) {
    const definition = protoLoader.loadSync(PROTO_PATH, {
      keepCase: false,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: false,
    });
    const loaded = grpc.loadPackageDefinition(definition) as any;
    clientClass = loaded.eventbus.v1.PubSub;
  }
  return clientClass!;
}
