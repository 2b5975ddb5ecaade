// Waiting for a writable (a server response, a stream) to drain, or to close, before writing
// more: the backpressure every streamed body of the emulator follows.

/** Resolves once `stream` emits `drain` or `close`, whichever comes first. */
export function drained(stream: NodeJS.EventEmitter & { destroyed?: boolean }): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed) return resolve();
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
