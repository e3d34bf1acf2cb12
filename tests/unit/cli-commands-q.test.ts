import { describe, expect, it } from 'vitest';
import { cliCommands } from '../../src/cli/command-table.js';
import { resolveCommand } from '../../src/cli/resolve-command.js';
import { lastAdminProblem } from '../../src/domain/account-rules.js';

// Issue 13, item 5: the CLI's commands are one table, so every row can be walked here.
describe('the CLI command table', () => {
  const rows = cliCommands.map((c) => [c.words.join(' '), c] as const);

  it.each(rows)('"%s --help" and "-h" print its usage instead of running it', (_name, row) => {
    for (const flag of ['--help', '-h']) {
      const r = resolveCommand(cliCommands, [...row.words, flag]);
      expect(r).toEqual({ kind: 'help', text: expect.stringContaining(row.usage) });
    }
    // Also with arguments before the flag, as someone types "migrate --help" after "migrate".
    expect(resolveCommand(cliCommands, [...row.words, 'x', '--help']).kind).toBe('help');
  });

  it.each(rows.filter(([, r]) => r.options !== undefined))(
    '"%s --no-such-option" is a usage error that prints that command\'s usage',
    (_name, row) => {
      const r = resolveCommand(cliCommands, [...row.words, '--no-such-option']);
      expect(r.kind).toBe('usage-error');
      expect(r.kind === 'usage-error' && r.text).toContain(row.usage);
      expect(r.kind === 'usage-error' && r.text).toContain('--no-such-option');
    },
  );

  it('a group ("spam --help") lists its subcommands; an unknown subcommand is a usage error naming the group', () => {
    const help = resolveCommand(cliCommands, ['spam', '--help']);
    expect(help.kind).toBe('help');
    expect(help.kind === 'help' && help.text).toContain('spam eval');
    expect(help.kind === 'help' && help.text).toContain('spam train');
    const wrong = resolveCommand(cliCommands, ['moderator', 'frob']);
    expect(wrong).toEqual({ kind: 'usage-error', text: expect.stringContaining('unknown moderator command "frob"') });
  });

  it('--version, help, no words and an unknown command', () => {
    expect(resolveCommand(cliCommands, ['--version']).kind).toBe('version');
    expect(resolveCommand(cliCommands, ['help']).kind).toBe('help');
    expect(resolveCommand(cliCommands, ['--help']).kind).toBe('help');
    expect(resolveCommand(cliCommands, []).kind).toBe('usage-error');
    expect(resolveCommand(cliCommands, ['frob'])).toEqual({
      kind: 'usage-error',
      text: expect.stringContaining('unknown command "frob"'),
    });
  });

  it('a run keeps the arguments after the words, and "--help" after "--" is an argument', () => {
    const r = resolveCommand(cliCommands, ['page', 'title', 'news', 'p1', '--', '--help']);
    expect(r.kind).toBe('run');
    expect(r.kind === 'run' && r.args).toEqual(['news', 'p1', '--', '--help']);
  });
});

// Issue 13, item 6: the desk always keeps an enabled admin.
describe('lastAdminProblem', () => {
  const admin = { id: 1, role: 'admin' as const, disabled: false };
  it.each([
    ['disabling the only admin', admin, { disabled: true }, [1], 'LAST_ADMIN'],
    ['removing the only admin', admin, { remove: true }, [1], 'LAST_ADMIN'],
    ['demoting the only admin', admin, { role: 'moderator' as const }, [1], 'LAST_ADMIN'],
    ['disabling one of two admins', admin, { disabled: true }, [1, 2], null],
    ['renaming the only admin (role admin kept)', admin, { role: 'admin' as const }, [1], null],
    ['disabling a moderator', { id: 3, role: 'moderator' as const, disabled: false }, { disabled: true }, [1], null],
    ['removing a disabled admin', { id: 4, role: 'admin' as const, disabled: true }, { remove: true }, [1], null],
  ])('%s', (_name, target, change, admins, expected) => {
    expect(lastAdminProblem(target, change, admins)).toBe(expected);
  });
});
