import { MIN_PASSWORD_LENGTH } from './passwords.js';

/*
 * What makes a new desk password too weak, as one rule: long enough (NIST SP 800-63B asks 8 at least;
 * we ask 10), not absurdly long (argon2 would hash a megabyte, slowly), not built from a handful of
 * characters or a keyboard run, not one of the passwords every guesser tries first (with digits or
 * punctuation stuck on the end, the usual way people make them "strong"), and not the account's own
 * email or name. No composition rules (NIST advises against them): a long phrase of words is fine.
 */

export const MAX_PASSWORD_LENGTH = 256;

/** The words guessers try first (the top of public breach lists), compared without trailing digits. */
const COMMON = new Set([
  'password',
  'passw0rd',
  'passwort',
  'qwerty',
  'qwertyuiop',
  'qwertz',
  'azerty',
  'letmein',
  'welcome',
  'iloveyou',
  'admin',
  'administrator',
  'changeme',
  'football',
  'baseball',
  'monkey',
  'dragon',
  'sunshine',
  'princess',
  'trustno',
  'whatever',
  'superman',
  'starwars',
  'master',
  'secret',
  'replydesk',
  'moderator',
  'newsroom',
]);

const RUNS = ['01234567890', '09876543210', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** Why the password may not be used, as a sentence for the form; null when it is fine. */
export function weakPasswordReason(password: string, account: { email: string; name?: string }): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `The password must be at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `The password must be at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (new Set(lower).size < 5) return 'That password repeats too few characters: anyone guessing tries those first.';
  if (RUNS.some((run) => run.includes(lower.replace(/\s+/g, ''))))
    return 'That password is a run of keys or letters: anyone guessing tries those first.';
  const stem = lower.replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '');
  if (COMMON.has(stem) || COMMON.has(lower.replace(/[\W_\d]+/gu, '')))
    return 'That is one of the passwords guessers try first. A few unrelated words make a strong one.';
  const local = account.email.toLowerCase().split('@')[0] ?? '';
  const name = (account.name ?? '').toLowerCase().replace(/\s+/g, '');
  if (
    lower.includes(account.email.toLowerCase()) ||
    (local.length >= 4 && stem === local) ||
    (name.length >= 4 && stem === name)
  )
    return 'The password must not be your email or your name.';
  return null;
}
