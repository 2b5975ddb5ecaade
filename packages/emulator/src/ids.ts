// Salesforce record ids: 15 case-sensitive characters plus a 3-character suffix that lets
// case-insensitive systems (Excel, SOQL in some tools) recover the original case.

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-5]{3})?$/;

/** The 3-character case-safe suffix of a 15-character id (Salesforce's documented algorithm). */
export function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/**
 * The 18-character form of a 15- or 18-character id, or `undefined` when the text cannot be an
 * id. An 18-character id whose suffix does not match its first 15 characters is rejected, as a
 * typo there would otherwise silently address a different record.
 */
export function normalizeId(value: string): string | undefined {
  if (!ID_SHAPE.test(value)) return undefined;
  const id15 = value.slice(0, 15);
  const suffix = idChecksum(id15);
  if (value.length === 18 && value.slice(15).toUpperCase() !== suffix) return undefined;
  return id15 + suffix;
}

/** The key prefix (first three characters) of an id. */
export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}

function base62(n: number, width: number): string {
  let out = '';
  let rest = n;
  for (let i = 0; i < width; i++) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

/**
 * Mints ids the way an org does: key prefix, a 2-character pod id, a reserved character, then
 * a counter. One counter per org (not per object) keeps every id unique even across objects
 * that might one day share a prefix.
 */
export class IdFactory {
  #counter = 0;
  readonly #pod: string;

  constructor(pod = 'Kg') {
    this.#pod = pod;
  }

  next(keyPrefix: string): string {
    this.#counter += 1;
    const id15 = keyPrefix + this.#pod + '0' + base62(this.#counter, 9);
    return id15 + idChecksum(id15);
  }
}

/** Custom object key prefixes: a00, a01, ... a0z, a10, ... as orgs hand them out. */
export function customKeyPrefix(index: number): string {
  return 'a' + base62(index, 2);
}
