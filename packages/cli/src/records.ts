// Records as the CLI prints them: without Salesforce's `attributes`, and flattened to dotted
// columns (`Account.Name`) for csv and table.

/** A record without `attributes`, at every level (parents and child query results). */
export function cleanRecord(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cleanRecord);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key !== 'attributes') out[key] = cleanRecord(inner);
  }
  return out;
}

/** Dotted columns for parents; a child query result or an array is one JSON cell. */
export function flatten(record: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}) {
  for (const [key, value] of Object.entries(record)) {
    if (key === 'attributes') continue;
    const name = prefix + key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
      const inner = value as Record<string, unknown>;
      if (Array.isArray(inner.records)) out[name] = JSON.stringify(cleanRecord(inner.records));
      else flatten(inner, `${name}.`, out);
    } else {
      out[name] = value;
    }
  }
  return out;
}

/** A cell's text: null and undefined are empty; objects are JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** One CSV cell, quoted when it holds the delimiter, a quote, or a line break. */
export function csvCell(value: unknown, delimiter = ','): string {
  const text = cellText(value);
  if (text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r')) {
    return `"${text.replaceAll('"', '""')}"`;
  }
  return text;
}

/** One CSV line (without its line break). */
export function csvLine(values: unknown[], delimiter = ','): string {
  return values.map((v) => csvCell(v, delimiter)).join(delimiter);
}
