/** The package name every error of @sf/query starts with (`[@sf/query] ...`). */
export const SOURCE = '@sf/query';
