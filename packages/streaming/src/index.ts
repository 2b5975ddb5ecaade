// @sf/streaming: not built yet; see README.md.
export {};
