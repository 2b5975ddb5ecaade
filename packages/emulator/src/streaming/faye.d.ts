// faye ships no types and @types/faye does not exist; this covers what the emulator uses.
// Named exports only (merges with any other declaration of the module in one program).
declare module 'faye' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface FayeMessage {
    channel: string;
    clientId?: string;
    id?: string;
    data?: unknown;
    successful?: boolean;
    error?: string;
    subscription?: string | string[];
    advice?: Record<string, unknown>;
    ext?: Record<string, any>;
    supportedConnectionTypes?: string[];
    [key: string]: unknown;
  }

  export type ServerCallback = (message: FayeMessage | null) => void;

  export interface ServerExtension {
    incoming?(message: FayeMessage, request: IncomingMessage | null, callback: ServerCallback): void;
    outgoing?(message: FayeMessage, request: IncomingMessage | null, callback: ServerCallback): void;
  }

  export class NodeAdapter {
    constructor(options: { mount: string; timeout?: number; ping?: number });
    addExtension(extension: ServerExtension): void;
    handle(request: IncomingMessage, response: ServerResponse): void;
    close(): void;
    /** Server events (faye's documented monitoring API). */
    on(event: 'handshake' | 'disconnect', listener: (clientId: string) => void): void;
    /** Internals used for per-client delivery (replay) and fault injection. */
    _server: { _engine: any };
  }
}
