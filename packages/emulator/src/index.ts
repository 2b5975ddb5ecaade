// @sf/emulator: not built yet; see README.md.
export {};
