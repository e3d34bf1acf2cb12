import { describe, expect, it } from 'vitest';
import { cliCommands } from '../../src/cli/command-table.js';
import { resolveCommand } from '../../src/cli/resolve-command.js';

// README's CLI section promises that an unknown option prints that command's usage (exit 2) before
// anything touches the database; resolveCommand only checks rows that declare their options.
describe('every CLI row declares its options', () => {
  it('no row leaves its options out', () => {
    expect(cliCommands.filter((r) => r.options === undefined).map((r) => r.words.join(' '))).toEqual([]);
  });

  // The rows that had none, each with a command line that must still run.
  const lines: [string, string[]][] = [
    ['page title', ['news', 'post-1', 'Post one']],
    ['page suggestions', ['news']],
    ['page close', ['news', 'post-1']],
    ['page open', ['news', 'post-1']],
    ['chat list', ['news']],
    ['chat remove', ['news', '3']],
    ['comment feature', ['c1']],
    ['comment unfeature', ['c1']],
    ['author trust', ['news', 'a@example.org']],
    ['author untrust', ['news', 'a@example.org']],
    ['author trusted', ['news']],
    ['author unsuspend', ['news', 'a@example.org']],
    ['author show', ['news', 'reader:3']],
  ];

  it.each(lines)('"%s" runs with its arguments and refuses an unknown option with its usage', (name, args) => {
    const words = name.split(' ');
    const row = cliCommands.find((r) => r.words.join(' ') === name);
    expect(row?.options).toEqual({});
    expect(resolveCommand(cliCommands, [...words, ...args])).toMatchObject({ kind: 'run', args });
    const wrong = resolveCommand(cliCommands, [...words, ...args, '--bogus']);
    expect(wrong.kind).toBe('usage-error');
    expect(wrong.kind === 'usage-error' && wrong.text).toContain("Unknown option '--bogus'");
    expect(wrong.kind === 'usage-error' && wrong.text).toContain(row?.usage);
  });

  it("chat list and remove refuse chat add's flags, which they would otherwise have ignored", () => {
    for (const sub of ['list', 'remove'])
      expect(resolveCommand(cliCommands, ['chat', sub, 'news', '--events', 'held']).kind).toBe('usage-error');
    expect(resolveCommand(cliCommands, ['chat', 'add', 'news', 'slack', 'https://x', '--events', 'held']).kind).toBe(
      'run',
    );
  });

  it('a page title that begins with "-" is refused as an option, and runs after --', () => {
    expect(resolveCommand(cliCommands, ['page', 'title', 'news', 'post-1', '-30% off']).kind).toBe('usage-error');
    expect(resolveCommand(cliCommands, ['page', 'title', 'news', 'post-1', '--', '-30% off'])).toMatchObject({
      kind: 'run',
      args: ['news', 'post-1', '--', '-30% off'],
    });
  });
});
