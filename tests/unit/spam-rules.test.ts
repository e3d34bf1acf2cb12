import { describe, it, expect } from 'vitest';
import { bannedAuthor, honeypot, spamWords } from '../../src/moderation/rules/spam-rules.js';
import { baseContext } from './support/check-context.js';

describe('honeypot', () => {
  it.each([
    ['empty', ''],
    ['only whitespace (autofill of a blank)', '  \n'],
  ])('a honeypot that is %s gives no outcome', (_scenario, value) => {
    expect(honeypot(baseContext({ honeypot: value }))).toBeNull();
  });

  it.each([
    ['a word', 'http://spam.example'],
    ['one character', 'x'],
  ])('a honeypot holding %s is spam', (_s, value) => {
    expect(honeypot(baseContext({ honeypot: value }))).toMatchObject({
      rule: 'honeypot',
      action: 'spam',
      code: 'HONEYPOT',
      score: 10,
    });
  });
});

describe('spamWords', () => {
  const spam = ['casino', 'free money'];

  it.each([
    ['the body', { body: 'Best CASINO in town' }],
    ['the body, disguised with a zero-width space', { body: 'best cas\u200Bino' }],
    ['the body, as a phrase', { body: 'get free, money!' }],
    ['the name', { author: 'Casino Bob' }],
    ['the email', { email: 'casino@spam.example' }],
    ['the website', { url: 'https://casino.example' }],
  ])('a spam word in %s marks the comment as spam', (_scenario, fields) => {
    const outcome = spamWords(baseContext({ fields, settings: { spamWords: spam } }));
    expect(outcome).toMatchObject({ rule: 'spam-words', action: 'spam', code: 'SPAM_WORD', score: 5 });
    expect(outcome?.message).toMatch(/"(casino|free money)"/);
  });

  it.each([
    ['a clean comment', {}, spam],
    ['a listed word only inside a longer word', { body: 'Montecassinos and casinoish' }, spam],
    ['an empty spam list', { body: 'casino' }, []],
  ])('%s gives no outcome', (_scenario, fields, words) => {
    expect(spamWords(baseContext({ fields, settings: { spamWords: words } }))).toBeNull();
  });

  it('hold words do not count as spam words', () => {
    expect(spamWords(baseContext({ fields: { body: 'casino' }, settings: { holdWords: ['casino'] } }))).toBeNull();
  });
});

describe('bannedAuthor', () => {
  it.each([
    [{ kind: 'reader', value: '42' }, 'This signed-in reader is banned (reader 42).'],
    [{ kind: 'email', value: 'troll@example.org' }, "The author's email is banned (troll@example.org)."],
    [{ kind: 'ip', value: '203.0.113.0/24' }, "The author's ip is banned (203.0.113.0/24)."],
  ] as const)('a %j ban marks the comment as spam, naming it', (ban, message) => {
    expect(bannedAuthor(baseContext({ ban }))).toEqual({
      rule: 'ban',
      action: 'spam',
      code: 'BANNED',
      message,
      score: 10,
    });
  });

  it('no ban, no outcome', () => {
    expect(bannedAuthor(baseContext())).toBeNull();
  });
});
