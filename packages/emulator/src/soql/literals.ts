// Literal values of SOQL: quoted strings with their escapes, LIKE patterns, dates, datetimes and
// the relative date literals (TODAY, LAST_N_DAYS:n...). All dates are in UTC, and the fiscal year
// is the calendar year (an org without a custom fiscal year starting in January).

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

/** One decoded piece of a string literal; `wild` marks an unescaped LIKE wildcard. */
type Piece = { text: string } | { wild: '%' | '_' };

/**
 * Decodes the body of a quoted SOQL string (`raw` still holds its quotes). In a LIKE pattern,
 * `\%` and `\_` are literal percent and underscore, and bare `%` `_` are wildcards. Any other
 * escape is refused, as Salesforce does. Returns undefined with the bad sequence on failure.
 */
function decodePieces(raw: string, like: boolean): Piece[] | { bad: string } {
  const body = raw.length >= 2 && (raw[0] === "'" || raw[0] === '"') ? raw.slice(1, -1) : raw;
  const pieces: Piece[] = [];
  let text = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      const n = body[i + 1];
      if (n === undefined) return { bad: '\\' };
      const simple = SIMPLE_ESCAPES[n];
      if (simple !== undefined) {
        text += simple;
        i++;
      } else if (n === 'u' || n === 'U') {
        const hex = body.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return { bad: body.slice(i, i + 6) };
        text += String.fromCharCode(Number.parseInt(hex, 16));
        i += 5;
      } else if (like && (n === '%' || n === '_')) {
        text += n;
        i++;
      } else {
        return { bad: `\\${n}` };
      }
    } else if (like && (c === '%' || c === '_')) {
      if (text) pieces.push({ text });
      text = '';
      pieces.push({ wild: c });
    } else {
      text += c;
    }
  }
  if (text || pieces.length === 0) pieces.push({ text });
  return pieces;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; bad: string };

/** The value of a quoted SOQL string literal. */
export function decodeString(raw: string): Decoded<string> {
  const pieces = decodePieces(raw, false);
  if (!Array.isArray(pieces)) return { ok: false, bad: pieces.bad };
  return { ok: true, value: pieces.map((p) => ('text' in p ? p.text : p.wild)).join('') };
}

/** A case-insensitive, anchored RegExp for a LIKE pattern literal. */
export function likeRegExp(raw: string): Decoded<RegExp> {
  const pieces = decodePieces(raw, true);
  if (!Array.isArray(pieces)) return { ok: false, bad: pieces.bad };
  let source = '^';
  for (const p of pieces) {
    if ('wild' in p) source += p.wild === '%' ? '[\\s\\S]*' : '[\\s\\S]';
    else source += p.text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return { ok: true, value: new RegExp(`${source}$`, 'i') };
}

const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Milliseconds since the epoch of a date ('2026-11-23', taken at UTC midnight) or a datetime in
 * Salesforce's forms ('2026-11-23T10:00:00.000+0000', '...Z', '...+05:30'); NaN if unreadable.
 */
export function timeValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string') return Number.NaN;
  const m = DATETIME_RE.exec(value);
  if (!m) return Number.NaN;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let t = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
    ms,
  );
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return t;
}

export function isDateLiteralText(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value);
}

/** A half-open time range [start, end) in UTC milliseconds. */
export interface TimeRange {
  start: number;
  end: number;
}

type Unit = 'day' | 'week' | 'month' | 'quarter' | 'year';

const DAY = 86_400_000;

function startOf(unit: Unit, now: Date): number {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const today = Date.UTC(y, m, now.getUTCDate());
  switch (unit) {
    case 'day':
      return today;
    case 'week':
      // Weeks start on Sunday, as in the en_US locale.
      return today - now.getUTCDay() * DAY;
    case 'month':
      return Date.UTC(y, m, 1);
    case 'quarter':
      return Date.UTC(y, m - (m % 3), 1);
    case 'year':
      return Date.UTC(y, 0, 1);
  }
}

function add(unit: Unit, start: number, n: number): number {
  if (unit === 'day') return start + n * DAY;
  if (unit === 'week') return start + n * 7 * DAY;
  const d = new Date(start);
  const months = unit === 'month' ? n : unit === 'quarter' ? 3 * n : 12 * n;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate());
}

const UNIT_WORDS: Record<string, Unit> = {
  DAY: 'day',
  DAYS: 'day',
  WEEK: 'week',
  WEEKS: 'week',
  MONTH: 'month',
  MONTHS: 'month',
  QUARTER: 'quarter',
  QUARTERS: 'quarter',
  FISCAL_QUARTER: 'quarter',
  FISCAL_QUARTERS: 'quarter',
  YEAR: 'year',
  YEARS: 'year',
  FISCAL_YEAR: 'year',
  FISCAL_YEARS: 'year',
};

/**
 * The range a relative date literal covers at `now`, e.g. `TODAY`, `LAST_N_DAYS:30`; undefined
 * for an unknown literal. LAST_N_DAYS:n and LAST_90_DAYS include today (n + 1 days in all);
 * NEXT_N_DAYS:n and NEXT_90_DAYS start tomorrow, as Salesforce's documentation says.
 */
export function dateLiteralRange(literal: string, now: Date): TimeRange | undefined {
  const upper = literal.toUpperCase();
  const [name, arg] = upper.split(':') as [string, string | undefined];
  const n = arg === undefined ? undefined : Number(arg);
  if (n !== undefined && !(Number.isInteger(n) && n >= 0)) return undefined;
  const today = startOf('day', now);
  const range = (unit: Unit, from: number, count: number): TimeRange => {
    const start = add(unit, startOf(unit, now), from);
    return { start, end: add(unit, start, count) };
  };
  if (n === undefined) {
    if (name === 'TODAY') return range('day', 0, 1);
    if (name === 'YESTERDAY') return range('day', -1, 1);
    if (name === 'TOMORROW') return range('day', 1, 1);
    if (name === 'LAST_90_DAYS') return { start: today - 90 * DAY, end: today + DAY };
    if (name === 'NEXT_90_DAYS') return { start: today + DAY, end: today + 91 * DAY };
    const m = /^(THIS|LAST|NEXT)_(.+)$/.exec(name);
    const unit = m && UNIT_WORDS[m[2]!];
    if (!m || !unit || unit === 'day') return undefined;
    return range(unit, m[1] === 'THIS' ? 0 : m[1] === 'LAST' ? -1 : 1, 1);
  }
  if (name === 'LAST_N_DAYS') return { start: today - n * DAY, end: today + DAY };
  if (name === 'NEXT_N_DAYS') return { start: today + DAY, end: today + (n + 1) * DAY };
  let m = /^(LAST|NEXT)_N_(.+)$/.exec(name);
  if (m) {
    const unit = UNIT_WORDS[m[2]!];
    if (!unit) return undefined;
    return m[1] === 'LAST' ? range(unit, -n, n) : range(unit, 1, n);
  }
  m = /^N_(.+)_AGO$/.exec(name);
  if (m) {
    const unit = UNIT_WORDS[m[1]!];
    if (!unit) return undefined;
    return range(unit, -n, 1);
  }
  return undefined;
}
