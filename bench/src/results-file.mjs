// RESULTS.md holds one section per benchmark; each benchmark rewrites its own section only.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const resultsPath = fileURLToPath(new URL('../RESULTS.md', import.meta.url));

/**
 * Replaces the section that starts with the line `heading` (up to the next `# ` or `## ` heading)
 * with `text`, or appends it when there is none.
 */
export function writeSection(heading, text) {
  const current = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '';
  const lines = current.split('\n');
  const start = lines.indexOf(heading);
  const body = text.trimEnd().split('\n');
  if (start === -1) {
    const head = current.trimEnd();
    writeFileSync(resultsPath, `${head === '' ? '' : `${head}\n\n`}${body.join('\n')}\n`);
    return;
  }
  let end = start + 1;
  while (end < lines.length && !/^##? /.test(lines[end])) end++;
  const after = lines.slice(end);
  const out = [...lines.slice(0, start), ...body, ...(after.length > 0 ? ['', ...after] : [''])];
  writeFileSync(resultsPath, out.join('\n'));
}
