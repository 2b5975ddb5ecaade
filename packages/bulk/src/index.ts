// @sf/bulk: not built yet; see README.md.
export {};
