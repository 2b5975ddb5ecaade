// Module hooks for the tests' child processes (the soak's subscriber, which is killed with
// SIGKILL, and the orphan subscription): they run the packages' TypeScript sources, as vitest
// does, so the code under test is never a stale dist/. Relative `.js` specifiers resolve to the
// `.ts` file beside them, and `.ts` files are transpiled (types stripped) with the workspace's
// TypeScript. Transpiled files are cached in SOAK_TS_CACHE when it is set, so a restarted
// subscriber starts without loading TypeScript.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const cache = process.env.SOAK_TS_CACHE;
let typescript;

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      return next(`${specifier.slice(0, -3)}.ts`, context);
    }
    throw error;
  }
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const cached = cache && join(cache, `${createHash('sha1').update(url).update(source).digest('hex')}.js`);
  if (cached) {
    const hit = await readFile(cached, 'utf8').catch(() => undefined);
    if (hit !== undefined) return { format: 'module', source: hit, shortCircuit: true };
  }
  typescript ??= (await import('typescript')).default;
  const { outputText } = typescript.transpileModule(source, {
    fileName: url,
    compilerOptions: {
      module: typescript.ModuleKind.ESNext,
      target: typescript.ScriptTarget.ES2022,
      sourceMap: false,
    },
  });
  if (cached) {
    await mkdir(cache, { recursive: true });
    await writeFile(cached, outputText);
  }
  return { format: 'module', source: outputText, shortCircuit: true };
}
