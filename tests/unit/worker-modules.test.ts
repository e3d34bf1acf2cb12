import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

// Issue 12, item 5: no worker imports another worker's module. Only the files that assemble the
// process (its entry, the table of queues and the loop over it) import from workers/; a helper two
// processors share lives under src/ (e.g. src/akismet/akismet-blog.ts), and src/ never reaches into
// workers/.
const ASSEMBLY = new Set(['main.ts', 'worker-table.ts', 'run-workers.ts']);

function tsFiles(dir: string): string[] {
  return readdirSync(join(projectRoot, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
function importsOf(path: string): string[] {
  const source = readFileSync(join(projectRoot, path), 'utf8');
  return [...source.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

describe('worker modules', () => {
  const processors = tsFiles('workers').filter((p) => !ASSEMBLY.has(p.slice('workers/'.length)));

  it('finds the processors', () => {
    expect(processors).toEqual(
      expect.arrayContaining(['workers/submission-processor.ts', 'workers/akismet-processor.ts']),
    );
  });

  it.each(processors)('%s imports no other file of workers/', (path) => {
    expect(importsOf(path).filter((s) => s.startsWith('./') || s.includes('/workers/'))).toEqual([]);
  });

  it('src/ imports nothing from workers/', () => {
    const offenders = tsFiles('src').filter((p) => importsOf(p).some((s) => /(^|\/)workers\//.test(s)));
    expect(offenders).toEqual([]);
  });
});
