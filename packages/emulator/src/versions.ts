// API versions: which the emulator serves, and the release names Salesforce gives them.

const OLDEST_VERSION = 20;

/** Salesforce's release label: v62.0 is "Winter '25", v63.0 "Spring '25", v64.0 "Summer '25". */
export function versionLabel(major: number): string {
  const offset = major - 62;
  const season = ['Winter', 'Spring', 'Summer'][((offset % 3) + 3) % 3];
  const year = 25 + Math.floor(offset / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

/** Every version from the oldest served up to `apiVersion`, as GET /services/data/ lists them. */
export function listVersions(apiVersion: string): { label: string; url: string; version: string }[] {
  const newest = Math.floor(Number(apiVersion));
  const out = [];
  for (let major = OLDEST_VERSION; major <= newest; major++) {
    out.push({ label: versionLabel(major), url: `/services/data/v${major}.0`, version: `${major}.0` });
  }
  return out;
}

/** `v58.0` → `58.0` when the emulator serves that version; undefined otherwise. */
export function parseVersionSegment(segment: string, apiVersion: string): string | undefined {
  const match = /^v(\d{2,3})\.0$/.exec(segment);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major >= OLDEST_VERSION && major <= Number(apiVersion) ? `${major}.0` : undefined;
}
