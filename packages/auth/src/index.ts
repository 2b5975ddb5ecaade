// @sf/auth: not built yet; see README.md.
export {};
