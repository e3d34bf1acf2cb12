import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

// The linter only helps where it runs: these hold that `npm test` runs it, that every folder of code
// is linted, and that the rules that catch real bugs are errors there (not warnings, not off).
const RULES = [
  '@typescript-eslint/no-floating-promises',
  '@typescript-eslint/no-misused-promises',
  '@typescript-eslint/await-thenable',
  '@typescript-eslint/no-unnecessary-type-assertion',
  '@typescript-eslint/no-unused-vars',
];
const FILES = [
  'src/http/app.ts',
  'workers/main.ts',
  'tests/support/harness.ts',
  'widget/embed.ts',
  'widget/desk/main.ts',
  'bench/run.ts',
  'scripts/build-widget.mjs',
];

describe('the linter', () => {
  it('runs in npm run lint, after Prettier, and npm test runs lint first', () => {
    const { scripts } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.lint).toMatch(/^prettier --check .* && eslint /);
    expect(scripts.pretest).toMatch(/^npm run lint\b/);
  });

  it.each(FILES)('lints %s with the bug-catching rules as errors', async (file) => {
    const eslint = new ESLint({ cwd: projectRoot });
    expect(await eslint.isPathIgnored(join(projectRoot, file))).toBe(false);
    const config = (await eslint.calculateConfigForFile(join(projectRoot, file))) as {
      rules: Record<string, unknown[]>;
    };
    for (const rule of RULES) expect([rule, config.rules[rule]?.[0]]).toEqual([rule, 2]);
  });
});
