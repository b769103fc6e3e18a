import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

type Chunk = { type: 'chunk'; code: string; imports: string[]; facadeModuleId: string | null };
type Output = Record<string, Chunk | { type: 'asset' }>;

/** Every chunk a page loads: the entry, the page's lazy chunk, and what they import statically. */
function closure(bundle: Output, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    const item = bundle[name];
    if (seen.has(name) || !item || item.type !== 'chunk') return;
    seen.add(name);
    item.imports.forEach(visit);
  };
  roots.forEach(visit);
  return seen;
}

const gzKb = (bundle: Output, names: Set<string>): number =>
  [...names].reduce((sum, n) => sum + gzipSync((bundle[n] as Chunk).code).length, 0) / 1024;

/**
 * Prints the gzipped JavaScript each part of the console loads (entry + its page chunk) and fails
 * the build when the till, which runs on cheap tablets over mobile data, goes over its budget.
 */
export function bundleBudget(opts: { entry: string; limitKb: number }): Plugin {
  return {
    name: 'malipo-bundle-budget',
    apply: 'build',
    generateBundle(_options, output) {
      const bundle = output as unknown as Output;
      const chunks = Object.entries(bundle).filter(([, c]) => c.type === 'chunk') as [
        string,
        Chunk,
      ][];
      const entry = chunks.find(([, c]) => c.facadeModuleId?.endsWith('/src/main.tsx'))?.[0];
      const pages = chunks.filter(([, c]) =>
        /\/src\/\w+\/\w+-pages?\.tsx$/.test(c.facadeModuleId ?? ''),
      );
      const lines: string[] = [];
      for (const [name, chunk] of pages) {
        const page = /\/src\/(\w+)\//.exec(chunk.facadeModuleId ?? '')?.[1] ?? name;
        const kb = gzKb(bundle, closure(bundle, [entry ?? '', name]));
        lines.push(`console: ${page} page JavaScript ${kb.toFixed(1)} KB gzipped`);
        if (page === opts.entry && kb > opts.limitKb) {
          this.error(`${page} JavaScript is ${kb.toFixed(1)} KB gzipped, over ${opts.limitKb} KB`);
        }
      }
      const all = gzKb(bundle, new Set(chunks.map(([n]) => n)));
      lines.push(
        `console: all JavaScript ${all.toFixed(1)} KB gzipped (${opts.entry} limit ${opts.limitKb} KB)`,
      );
      process.stdout.write(`${lines.sort().join('\n')}\n`);
    },
  };
}
