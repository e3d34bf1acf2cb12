import { describe, it, expect } from 'vitest';
import { ZodError } from 'zod';
import { defaultDecisionReasons } from '../../src/domain/decisions/decision-reasons.js';
import { siteIdPattern, storedSiteSettings, toOrigin, toSiteSettings } from '../../src/domain/site-settings.js';

const defaults = {
  requireName: true,
  requireEmail: true,
  moderation: 'rules',
  holdWords: [],
  spamWords: [],
  holdLinks: 2,
  closeAfterDays: 0,
  maxDepth: 5,
  holdFirstTime: true,
  floodSeconds: 15,
  flagThreshold: 3,
  ipRetentionDays: 30,
  formMinSeconds: 5,
  // Off for sites stored before it existed; new sites get it on (src/domain/site-form.ts newSiteSettings).
  requireFormToken: false,
  rateLimitIp: 10,
  rateLimitNet: 20,
  rateLimitEmail: 5,
  rateLimitSite: 600,
  surgeFactor: 10,
  surgeMinimum: 30,
  pageSurgeScore: 5,
  pageSurgeMinimum: 20,
  guests: true,
  signInMethods: ['sso', 'email', 'oidc'],
  editWindowMinutes: 15,
  readerErasure: 'anonymize',
  votes: 'up',
  guestVotes: false,
  gravatar: false,
  defaultSort: 'oldest',
  requireTwoFactor: false,
  decisionReasons: defaultDecisionReasons,
  staffedHours: null,
  language: 'auto',
  abuseFilter: 'hold',
  abuseThreshold: 90,
  spamBlockedHamTarget: 0.01,
};

describe('toSiteSettings', () => {
  it.each([
    ['an empty object', {}],
    ['null (a row without settings)', null],
    ['undefined', undefined],
  ])('%s gives every default', (_scenario, raw) => {
    expect(toSiteSettings(raw)).toEqual(defaults);
  });

  it('keeps the given values and fills in the rest', () => {
    expect(toSiteSettings({ moderation: 'pre', maxDepth: 10, holdLinks: 0, holdFirstTime: false })).toEqual({
      ...defaults,
      moderation: 'pre',
      maxDepth: 10,
      holdLinks: 0,
      holdFirstTime: false,
    });
  });

  it('trims listed words', () => {
    expect(toSiteSettings({ spamWords: ['  casino ', 'free money'] }).spamWords).toEqual(['casino', 'free money']);
  });

  it('drops unknown keys', () => {
    expect(toSiteSettings({ isAdmin: true })).toEqual(defaults);
  });

  it.each([
    ['maxDepth 11', { maxDepth: 11 }, 'maxDepth'],
    ['maxDepth 0', { maxDepth: 0 }, 'maxDepth'],
    ['maxDepth 2.5', { maxDepth: 2.5 }, 'maxDepth'],
    ['a negative holdLinks', { holdLinks: -1 }, 'holdLinks'],
    ['holdLinks 101', { holdLinks: 101 }, 'holdLinks'],
    ['holdLinks as a string', { holdLinks: '2' }, 'holdLinks'],
    ['a negative closeAfterDays', { closeAfterDays: -1 }, 'closeAfterDays'],
    ['floodSeconds over an hour', { floodSeconds: 3601 }, 'floodSeconds'],
    ['an unknown moderation mode', { moderation: 'auto' }, 'moderation'],
    ['a negative ipRetentionDays', { ipRetentionDays: -1 }, 'ipRetentionDays'],
    ['ipRetentionDays 1.5', { ipRetentionDays: 1.5 }, 'ipRetentionDays'],
    ['requireName as a string', { requireName: 'yes' }, 'requireName'],
    ['an empty listed word', { holdWords: ['ok', '   '] }, 'holdWords'],
    ['a listed word over 200 characters', { spamWords: ['x'.repeat(201)] }, 'spamWords'],
    ['holdWords that is not a list', { holdWords: 'casino' }, 'holdWords'],
  ])('%s is refused, naming the key', (_scenario, raw, key) => {
    let error: unknown;
    try {
      toSiteSettings(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues.map((i) => i.path[0])).toContain(key);
  });

  it('several bad keys are all listed in one error', () => {
    let error: unknown;
    try {
      toSiteSettings({ maxDepth: 11, holdLinks: -1 });
    } catch (e) {
      error = e;
    }
    expect((error as ZodError).issues.map((i) => i.path[0]).sort()).toEqual(['holdLinks', 'maxDepth']);
  });

  it.each([
    ['a string', 'x'],
    ['a number', 3],
    ['a list', []],
  ])('%s instead of an object is refused', (_s, raw) => {
    expect(() => toSiteSettings(raw)).toThrow(ZodError);
  });
});

describe('toOrigin', () => {
  it.each([
    ['https://Example.org:443/', 'https://example.org'],
    ['http://example.org:80/path?q=1#x', 'http://example.org'],
    ['https://example.org:8443', 'https://example.org:8443'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
    ['ftp://example.org', null],
    ['javascript:alert(1)', null],
    ['file:///etc/passwd', null],
    ['example.org', null],
    ['', null],
  ])('%j → %j', (value, expected) => {
    expect(toOrigin(value)).toBe(expected);
  });
});

describe('siteIdPattern', () => {
  it.each([
    ['blog', true],
    ['my-blog_2', true],
    ['0', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['-blog', false],
    ['Blog', false],
    ['my blog', false],
    ['', false],
  ])('%j → %s', (value, expected) => {
    expect(siteIdPattern.test(value)).toBe(expected);
  });
});

describe('storedSiteSettings', () => {
  it('keeps a valid row as toSiteSettings reads it, naming nothing invalid', () => {
    const raw = { holdLinks: 4, votes: 'updown', signInMethods: ['email', 'email'] };
    expect(storedSiteSettings(raw)).toEqual({ settings: toSiteSettings(raw), invalid: [] });
  });

  it('gives a key that no longer validates its default and keeps every other key', () => {
    const raw = { holdLinks: -3, moderation: 'sometimes', holdWords: ['casino'], floodSeconds: 30, unknown: 1 };
    expect(() => toSiteSettings(raw)).toThrow(ZodError);
    const { settings, invalid } = storedSiteSettings(raw);
    expect(invalid.sort()).toEqual(['holdLinks', 'moderation']);
    expect(settings).toEqual({ ...toSiteSettings({}), holdWords: ['casino'], floodSeconds: 30 });
  });

  it('reads a row that is not an object at all as the defaults', () => {
    expect(storedSiteSettings('nonsense').settings).toEqual(toSiteSettings({}));
    expect(storedSiteSettings(null)).toEqual({ settings: toSiteSettings({}), invalid: [] });
  });
});
