// A subset of SOSL over the same data source: FIND {term} [IN ... FIELDS] RETURNING Obj(fields
// [WHERE] [ORDER BY] [LIMIT]) ... [LIMIT n]. Each RETURNING object runs as a SOQL query with the
// search term as an extra filter, so WHERE, ORDER BY and field validation behave as in SOQL.
import type { FieldDescribe, SoqlDataSource } from '../describe-types.js';
import { compileSoqlFiltered, type SoqlOptions } from './engine.js';
import { SoqlError } from './errors.js';
import type { ObjectInfo, Row } from './schema.js';

/** What GET /search answers. */
export interface SoslResult {
  searchRecords: Record<string, unknown>[];
}

type Scope = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE';

const TEXT_TYPES = new Set([
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'combobox',
]);
const DEFAULT_LIMIT = 2000;

function malformed(message: string): never {
  throw new SoqlError('MALFORMED_SEARCH', message);
}

/** Reads the `{...}` (or quoted) search term, honouring backslash escapes. */
function readTerm(sosl: string, start: number): { term: string; end: number } {
  const open = sosl[start];
  const close = open === '{' ? '}' : open === "'" || open === '"' ? open : undefined;
  if (!close) malformed(`line 1:${start} no viable alternative at character '${open ?? '<EOF>'}'`);
  let term = '';
  for (let i = start + 1; i < sosl.length; i++) {
    const c = sosl[i]!;
    if (c === '\\' && i + 1 < sosl.length) {
      term += sosl[++i];
    } else if (c === close) {
      return { term, end: i + 1 };
    } else {
      term += c;
    }
  }
  return malformed('Search term is missing its closing brace');
}

/** Splits on commas that are not inside parentheses or quotes. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') current += c + (text[++i] ?? '');
      else {
        if (c === "'") quote = false;
        current += c;
      }
      continue;
    }
    if (c === "'") quote = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

function wordPattern(word: string): string {
  return word
    .split('')
    .map((c) =>
      c === '*'
        ? '[\\p{L}\\p{N}]*'
        : c === '?'
          ? '[\\p{L}\\p{N}]'
          : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'),
    )
    .join('');
}

/** Term → OR of AND groups of whole-word (or phrase) regexes; `*` and `?` are wildcards. */
function compileTerm(term: string): RegExp[][] {
  const groups = term.split(/\s+OR\s+/i).map((group) => {
    const tokens: RegExp[] = [];
    const re = /"([^"]*)"|(\S+)/g;
    for (let m = re.exec(group); m; m = re.exec(group)) {
      const phrase = m[1];
      const word = m[2];
      if (word !== undefined && /^AND$/i.test(word)) continue;
      const words = (phrase ?? word ?? '').split(/\s+/).filter((w) => w !== '');
      if (words.length === 0) continue;
      const body = words.map(wordPattern).join('[^\\p{L}\\p{N}]+');
      tokens.push(new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'iu'));
    }
    return tokens;
  });
  if (groups.some((g) => g.length === 0)) malformed('search term must be longer than one character');
  return groups;
}

function searchedFields(obj: ObjectInfo, scope: Scope): FieldDescribe[] {
  const fields = obj.describe.fields;
  switch (scope) {
    case 'ALL':
      return fields.filter((f) => TEXT_TYPES.has(f.type));
    case 'NAME':
      return fields.filter(
        (f) => f.nameField || (TEXT_TYPES.has(f.type) && /^(FirstName|LastName|Name)$/.test(f.name)),
      );
    case 'EMAIL':
      return fields.filter((f) => f.type === 'email');
    case 'PHONE':
      return fields.filter((f) => f.type === 'phone');
  }
}

/**
 * Runs a SOSL search, as GET /search?q= does. Matching is whole-word and case-insensitive over
 * the scope's text fields; `*` matches any run of letters or digits, `?` one.
 *
 * @example
 * executeSosl(store, 'FIND {Acme*} IN NAME FIELDS RETURNING Account(Id, Name WHERE Industry = \'Tech\' LIMIT 5)',
 *   { includeDeleted: false, apiVersion: '62.0' })
 */
export function executeSosl(source: SoqlDataSource, sosl: string, options: SoqlOptions): SoslResult {
  const head = /^\s*FIND\s*/i.exec(sosl);
  if (!head) malformed(`unexpected token: '${sosl.trim().split(/\s+/)[0] ?? '<EOF>'}'`);
  const { term, end } = readTerm(sosl, head[0].length);
  if (term.replace(/[*?"\s]/g, '').length < 2) malformed('search term must be longer than one character');
  const groups = compileTerm(term);
  let rest = sosl.slice(end).trim();

  let scope: Scope = 'ALL';
  const scopeMatch = /^IN\s+(ALL|NAME|EMAIL|PHONE|SIDEBAR)\s+FIELDS\b/i.exec(rest);
  if (scopeMatch) {
    const word = scopeMatch[1]!.toUpperCase();
    scope = word === 'SIDEBAR' ? 'ALL' : (word as Scope);
    rest = rest.slice(scopeMatch[0].length).trim();
  }
  let overall = DEFAULT_LIMIT;
  const limitMatch = /\bLIMIT\s+(\d+)\s*$/i.exec(rest);
  if (limitMatch && !rest.slice(0, limitMatch.index).trimEnd().endsWith('(')) {
    // A trailing LIMIT outside every parenthesis limits the whole search.
    const before = rest.slice(0, limitMatch.index);
    if ((before.match(/\(/g)?.length ?? 0) === (before.match(/\)/g)?.length ?? 0)) {
      overall = Number(limitMatch[1]);
      rest = before.trim();
    }
  }
  const returning = /^RETURNING\s+/i.exec(rest);
  if (!returning && rest !== '') malformed(`unexpected token: '${rest.split(/\s+/)[0]}'`);
  // Without RETURNING, Salesforce searches every searchable object and returns ids and types.
  const specs = returning
    ? splitTop(rest.slice(returning[0].length))
    : (source.describeAll?.() ?? []).filter((d) => d.searchable && d.queryable).map((d) => d.name);
  const searchRecords: Record<string, unknown>[] = [];
  const cache = new Map<ObjectInfo, FieldDescribe[]>();
  const hit = (row: Row, obj: ObjectInfo): boolean => {
    let fields = cache.get(obj);
    if (!fields) cache.set(obj, (fields = searchedFields(obj, scope)));
    const texts: string[] = [];
    for (const f of fields) {
      const v = row[f.name];
      if (v !== null && v !== undefined && v !== '') texts.push(String(v));
    }
    return groups.some((g) => g.every((re) => texts.some((t) => re.test(t))));
  };
  for (const spec of specs) {
    const m = /^([A-Za-z][A-Za-z0-9_]*)\s*(?:\(([\s\S]*)\))?$/.exec(spec);
    if (!m) malformed(`unexpected token: '${spec}'`);
    const name = m[1]!;
    const inner = (m[2] ?? '').trim();
    const clause = /\b(WHERE|ORDER\s+BY|LIMIT|OFFSET)\b/i.exec(inner);
    const fields = (clause ? inner.slice(0, clause.index) : inner).trim() || 'Id';
    const tail = clause ? inner.slice(clause.index) : '';
    const compiled = compileSoqlFiltered(
      source,
      `SELECT ${fields} FROM ${name} ${tail}`.trim(),
      options,
      hit,
    );
    for (const record of compiled.run().records) {
      if (searchRecords.length >= overall) break;
      searchRecords.push(record);
    }
  }
  return { searchRecords };
}
