// @sf/sobject: not built yet; see README.md.
export {};
