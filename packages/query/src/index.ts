// @sf/query: not built yet; see README.md.
export {};
