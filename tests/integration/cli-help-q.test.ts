import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliCommands } from '../../src/cli/command-table.js';

// Issue 13, item 5: `reply-desk <any command> --help` touches nothing. DATABASE_URL points at a closed
// port, so a command that tried the database would exit 1 with "not reachable" instead of its usage.
const closedDb = 'postgres://postgres@127.0.0.1:9/nothing';

function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin/cli.ts', ...args], {
      env: { ...process.env, DATABASE_URL: closedDb, REDIS_URL: 'redis://127.0.0.1:9' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Runs the calls two at a time (the machine is shared). */
async function inPairs<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += 2) await Promise.all(items.slice(i, i + 2).map(fn));
}

describe('reply-desk --help with no database', () => {
  // Every row's --help is walked in tests/unit/cli-commands-q.test.ts; here, through the real entry file,
  // the ones whose handlers would touch the database (or Redis) first.
  const touching = cliCommands.filter((c) =>
    ['migrate', 'moderator add', 'moderator remove', 'privacy erase', 'import', 'spam train'].includes(
      c.words.join(' '),
    ),
  );

  it('commands that would touch the database answer --help with their usage, exit 0 (migrate does not migrate)', async () => {
    expect(touching).toHaveLength(6);
    await inPairs(touching, async (row) => {
      const r = await cli([...row.words, '--help']);
      expect({ words: row.words, code: r.code, err: r.err }).toEqual({ words: row.words, code: 0, err: '' });
      expect(r.out).toContain(row.usage);
    });
  }, 120_000);

  it('groups and the top level answer --help and -h too; --version prints the package version', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default as {
      version: string;
    };
    for (const args of [
      ['spam', '--help'],
      ['moderator', '-h'],
    ]) {
      const r = await cli(args);
      expect({ args, code: r.code }).toEqual({ args, code: 0 });
      expect(r.out).toContain('usage:');
    }
    const v = await cli(['--version']);
    expect(v).toEqual({ code: 0, out: `reply-desk ${version}\n`, err: '' });
  }, 60_000);

  it("an unknown option prints that command's usage and exits 2, before any database", async () => {
    const r = await cli(['site', 'list', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("Unknown option '--bogus'");
    expect(r.err).toContain('reply-desk site list');
    expect(r.err).not.toContain('not reachable');
    const sub = await cli(['spam', 'frob']);
    expect(sub.code).toBe(2);
    expect(sub.err).toContain('unknown spam command "frob"');
  }, 60_000);

  it('a command that needs the database says it is not reachable (exit 1): the closed port is real', async () => {
    const r = await cli(['site', 'list']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('not reachable');
  }, 30_000);
});
