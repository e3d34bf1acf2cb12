import { describe, expect, it } from 'vitest';
import { weakPasswordReason } from '../../src/auth/password-rules.js';

const account = { email: 'night.desk@example.org', name: 'Night Desk' };

describe('weakPasswordReason', () => {
  it.each([
    ['too short', 'short', /at least 10/],
    ['too long', 'x'.repeat(257) + 'abcdef', /at most 256/],
    ['a handful of characters', 'aaaaabbbbbaaaa', /too few characters/],
    ['a keyboard run', 'qwertyuiop', /run of keys/],
    ['digits in a row', '1234567890', /run of keys/],
    ['a common password with digits on the end', 'Password2024!', /guessers try first/],
    ['a common password with punctuation', 'letmein!!!!', /guessers try first/],
    ['the email', 'night.desk@example.org', /email or your name/],
    ['the email’s name with digits', 'night.desk1234', /email or your name/],
    ['the display name', 'nightdesk!!22', /email or your name/],
  ])('%s is refused', (_scenario, password, reason) => {
    expect(weakPasswordReason(password, account)).toMatch(reason);
  });

  it.each([
    ['a phrase of words', 'correct horse battery staple'],
    ['a long mixed password', 'v9#Lq2!mZ7tR'],
    ['a common word inside a longer phrase', 'my password is long and odd'],
  ])('%s is accepted', (_scenario, password) => {
    expect(weakPasswordReason(password, account)).toBeNull();
  });
});
