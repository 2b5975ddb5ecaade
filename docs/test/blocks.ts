// Finds the fenced code blocks of the READMEs and guides that must run. A block whose info
// string is `ts`, `typescript`, `js`, `javascript` or `mjs` is a complete program (imports
// included); one marked `fragment` (```` ```ts fragment ````) is shown for its shape and neither
// run nor type-checked. Other languages (`sh`, `json`, ...) are not code we run.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface CodeBlock {
  /** Repository-relative path of the Markdown file. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: 'ts' | 'js';
  code: string;
  /** A short file-system-safe name, unique per block. */
  slug: string;
}

const LANGS: Record<string, 'ts' | 'js'> = {
  ts: 'ts',
  typescript: 'ts',
  js: 'js',
  javascript: 'js',
  mjs: 'js',
};

/** The Markdown files whose blocks are checked: the root README, every package's, the guides. */
export function markdownFiles(): string[] {
  const files = [join(repoRoot, 'README.md')];
  for (const name of readdirSync(join(repoRoot, 'packages')).sort()) {
    files.push(join(repoRoot, 'packages', name, 'README.md'));
  }
  for (const name of readdirSync(join(repoRoot, 'docs')).sort()) {
    if (name.endsWith('.md')) files.push(join(repoRoot, 'docs', name));
  }
  return files.filter((file) => {
    try {
      readFileSync(file);
      return true;
    } catch {
      return false;
    }
  });
}

/** Every fenced block of one Markdown text, with its info string. */
export function fencedBlocks(markdown: string): Array<{ info: string; line: number; code: string }> {
  const lines = markdown.split('\n');
  const blocks: Array<{ info: string; line: number; code: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = lines[j]!.trimStart();
      if (close.startsWith(fence!) && close.slice(fence!.length).trim() === '') break;
      body.push(lines[j]!.startsWith(indent!) ? lines[j]!.slice(indent!.length) : lines[j]!);
    }
    blocks.push({ info: info!.trim(), line: i + 1, code: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** The runnable blocks (not fragments) of every checked Markdown file. */
export function runnableBlocks(): CodeBlock[] {
  const out: CodeBlock[] = [];
  for (const path of markdownFiles()) {
    const file = relative(repoRoot, path);
    let n = 0;
    for (const block of fencedBlocks(readFileSync(path, 'utf8'))) {
      const [word = '', ...flags] = block.info.split(/\s+/);
      const lang = LANGS[word.toLowerCase()];
      if (!lang || flags.includes('fragment')) continue;
      n += 1;
      const slug = `${file.replace(/[^A-Za-z0-9]+/g, '-').replace(/-md$/, '')}-${n}`;
      out.push({ file, line: block.line, lang, code: block.code, slug });
    }
  }
  return out;
}
