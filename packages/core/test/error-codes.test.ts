// CONVENTIONS.md rule 4: every `code` any package throws is a member of core's closed
// `SalesforceErrorCode` union, with a one-line comment on when it happens. This scans the
// source of every package (the emulator's own Salesforce-side errors aside) for the codes given
// to an error factory or class, and fails on a code the union does not list: a new code must be
// added to the type, with its comment.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const packagesDir = fileURLToPath(new URL('../..', import.meta.url));
// The emulator plays Salesforce: its errors carry Salesforce's own errorCodes, not ours.
const SKIP_PACKAGES = new Set(['emulator']);
// Calls that build Salesforce's per-record error entries (`errorCode` strings), not our codes.
const NOT_OUR_CODES = new Set(['recordError']);
const CODE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The members of `SalesforceErrorCode` in core's errors.ts, each with whether it has a comment. */
function unionMembers(): Map<string, boolean> {
  const file = fileURLToPath(new URL('../src/errors.ts', import.meta.url));
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const members = new Map<string, boolean>();
  source.forEachChild((node) => {
    if (!ts.isTypeAliasDeclaration(node) || node.name.text !== 'SalesforceErrorCode') return;
    const types = ts.isUnionTypeNode(node.type) ? node.type.types : [node.type];
    types.forEach((type, i) => {
      if (ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal)) {
        // The comment sits before the member's `|`: look from the previous member's end.
        const before = text.slice(i === 0 ? node.type.pos : types[i - 1]!.end, type.getStart(source));
        members.set(type.literal.text, /\/\*\*[^\n]*\*\//.test(before));
      } else {
        members.set(`<not a string literal: ${type.getText(source)}>`, false);
      }
    });
  });
  return members;
}

/** String literals an argument can evaluate to: itself, either branch of `?:`, an object's `code`. */
function codesIn(node: ts.Node, out: Set<string>, direct: boolean): void {
  if (ts.isStringLiteralLike(node)) {
    if (direct && CODE.test(node.text)) out.add(node.text);
  } else if (ts.isConditionalExpression(node)) {
    codesIn(node.whenTrue, out, direct);
    codesIn(node.whenFalse, out, direct);
  } else if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) {
    codesIn(node.expression, out, direct);
  } else if (ts.isObjectLiteralExpression(node)) {
    for (const p of node.properties) {
      if (ts.isPropertyAssignment(p) && p.name.getText() === 'code') codesIn(p.initializer, out, true);
    }
  }
}

/** Codes given to any call or `new` of a function or class whose name ends in `error`. */
function thrownCodes(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const pkg of readdirSync(packagesDir)) {
    if (SKIP_PACKAGES.has(pkg)) continue;
    const src = join(packagesDir, pkg, 'src');
    try {
      statSync(src);
    } catch {
      continue;
    }
    for (const file of sourceFiles(src)) {
      const text = readFileSync(file, 'utf8');
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
      const visit = (node: ts.Node): void => {
        if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments) {
          const callee = node.expression;
          const name = ts.isIdentifier(callee)
            ? callee.text
            : ts.isPropertyAccessExpression(callee)
              ? callee.name.text
              : '';
          if (/error$/i.test(name) && !NOT_OUR_CODES.has(name)) {
            const codes = new Set<string>();
            for (const arg of node.arguments) codesIn(arg, codes, true);
            const { line } = source.getLineAndCharacterOfPosition(node.getStart());
            for (const code of codes) {
              const where = `${relative(packagesDir, file)}:${line + 1}`;
              found.set(code, [...(found.get(code) ?? []), where]);
            }
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return found;
}

describe('SalesforceErrorCode', () => {
  const members = unionMembers();

  it('is a closed union of string literals, each with a comment', () => {
    expect(members.size).toBeGreaterThan(10);
    expect([...members].filter(([, commented]) => !commented).map(([code]) => code)).toEqual([]);
  });

  it('lists every code any package throws', () => {
    const thrown = thrownCodes();
    // The scan must see the codes it is meant to see, or it proves nothing.
    expect(thrown.has('INVALID_ARGUMENT')).toBe(true);
    expect(thrown.has('MALFORMED_RESPONSE')).toBe(true);
    const missing = [...thrown]
      .filter(([code]) => !members.has(code))
      .map(([code, at]) => `${code} (${at[0]})`);
    expect(missing).toEqual([]);
  });
});
