import { parseArgs } from 'node:util';
import type { CliCommand } from './command-table.js';

/** What the command line asks for, decided before anything reads the environment. */
export type Resolved =
  | { kind: 'run'; command: CliCommand; args: string[] }
  /** Usage text on stdout, exit 0 (`--help`, `-h`, `help`). */
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  /** A command line that names nothing: the message and the nearest usage on stderr, exit 2. */
  | { kind: 'usage-error'; text: string };

const isHelp = (a: string): boolean => a === '--help' || a === '-h';

export function formatUsage(rows: CliCommand[]): string {
  return `usage:\n${rows.map((r) => `  ${r.usage}`).join('\n')}`;
}

/**
 * Finds the table row the words name. `--help`/`-h` anywhere before `--` wins over running: it
 * prints the usage of what the words named so far (one row, a group such as `moderator`, or all), so
 * `reply-desk migrate --help` never migrates.
 */
export function resolveCommand(table: CliCommand[], argv: string[]): Resolved {
  const end = argv.indexOf('--');
  const before = end === -1 ? argv : argv.slice(0, end);
  const help = before.some(isHelp) || argv[0] === 'help';
  const words = (argv[0] === 'help' ? argv.slice(1) : argv).filter((a) => !isHelp(a));
  if (words.length === 0 || (words.length === 1 && words[0] === '')) {
    return help ? { kind: 'help', text: formatUsage(table) } : { kind: 'usage-error', text: formatUsage(table) };
  }
  if (words[0] === '--version' || words[0] === '-v') return { kind: 'version' };
  const group = table.filter((r) => r.words[0] === words[0]);
  if (group.length === 0) {
    const text = `unknown command "${words[0]}"\n${formatUsage(table)}`;
    return help ? { kind: 'help', text: formatUsage(table) } : { kind: 'usage-error', text };
  }
  const exact = group.find((r) => r.words.every((w, i) => words[i] === w));
  if (exact === undefined) {
    if (help) return { kind: 'help', text: formatUsage(group) };
    const sub = words[1];
    const text = sub === undefined ? formatUsage(group) : `unknown ${words[0]} command "${sub}"\n${formatUsage(group)}`;
    return { kind: 'usage-error', text };
  }
  if (help) return { kind: 'help', text: formatUsage([exact]) };
  const args = argv.slice(exact.words.length);
  if (exact.options !== undefined) {
    try {
      parseArgs({ args, options: exact.options, allowPositionals: true, strict: true });
    } catch (err) {
      return { kind: 'usage-error', text: `${(err as Error).message}\n${formatUsage([exact])}` };
    }
  }
  return { kind: 'run', command: exact, args };
}
