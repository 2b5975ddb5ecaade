// @sf/core: not built yet; see README.md.
export {};
