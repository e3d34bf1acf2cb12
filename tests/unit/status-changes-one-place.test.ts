import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

// What follows a status change (learn, announce, publish live) happens in one module,
// src/moderation/status-changes.ts; a route or worker that called the queues itself would be a
// second copy, free to forget one follow-up or to swallow its errors (as the flag routes once did).
const ONE_PLACE = 'src/moderation/status-changes.ts';

/** Calls of the follow-ups themselves; their definitions (`function name(`) do not count. */
const followUpCall =
  /(?<!function\s+)\b(enqueueTrainingForChanges|enqueueCommentEvents|toChangeEvents|toStoredEvents)\s*\(|(?<![\w.])publish\s*(\?\.)?\(/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the after-status-change work', () => {
  it(`is called from ${ONE_PLACE} and nowhere else in src/ or workers/`, () => {
    const found: string[] = [];
    for (const file of [...sourceFiles(join(projectRoot, 'src')), ...sourceFiles(join(projectRoot, 'workers'))]) {
      const rel = relative(projectRoot, file).split('\\').join('/');
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const code = line.trim();
          if (code.startsWith('//') || code.startsWith('*') || code.startsWith('/*')) return;
          if (followUpCall.test(line)) found.push(`${rel}:${i + 1}`);
        });
    }
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter((f) => !f.startsWith(`${ONE_PLACE}:`))).toEqual([]);
  });
});
