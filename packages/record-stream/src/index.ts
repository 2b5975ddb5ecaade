// @sf/record-stream: not built yet; see README.md.
export {};
