// faye ships no types and @types/faye does not exist; this covers the client API we use.
// Named exports only, so it merges with @sf/emulator's declaration where both are in one program.
declare module 'faye' {
  export interface ClientMessage {
    channel: string;
    clientId?: string;
    id?: string;
    data?: unknown;
    successful?: boolean;
    error?: string;
    subscription?: string | string[];
    advice?: { reconnect?: string; interval?: number; timeout?: number };
    ext?: Record<string, any>;
    [key: string]: unknown;
  }
  export type ClientCallback = (message: ClientMessage | null) => void;
  export interface ClientExtension {
    incoming?(message: ClientMessage, callback: ClientCallback): void;
    outgoing?(message: ClientMessage, callback: ClientCallback): void;
  }
  export interface ClientSubscription {
    cancel(): void;
    then(ok: () => void, fail: (error: unknown) => void): void;
  }
  export class Client {
    constructor(endpoint: string, options?: { timeout?: number; retry?: number; interval?: number });
    addExtension(extension: ClientExtension): void;
    setHeader(name: string, value: string): void;
    subscribe(channel: string, callback: (data: unknown) => void): ClientSubscription;
    unsubscribe(channel: string): void;
    disconnect(): { then(ok: () => void, fail: (error: unknown) => void): void } | undefined;
    on(event: 'transport:up' | 'transport:down', listener: () => void): void;
    /** Internals used to tear a client down without leaving timers or requests behind. */
    _state: number;
    _advice: { reconnect: string; timeout: number; interval: number };
    _dispatcher: {
      _envelopes: Map<string, { timer?: NodeJS.Timeout | null; request?: Promise<any> | null }>;
      close(): void;
    };
  }
}
