import { describe, expect, it } from 'vitest';
import {
  changePageSettings,
  effectivePageSettings,
  overridesAnything,
  toPageSettings,
} from '../../src/domain/pages/page-settings.js';
import { toSiteSettings } from '../../src/domain/site-settings.js';

const site = toSiteSettings({ holdWords: ['casino'], holdLinks: 2, votes: 'up', guests: true });

describe("a page's settings on top of its site's", () => {
  it('a page without overrides has its site settings', () => {
    expect(effectivePageSettings(site, {})).toEqual(site);
  });

  it.each([
    ['pre-moderation', { moderation: 'pre' as const }, { moderation: 'pre' }],
    ['links off', { holdLinks: 0 }, { holdLinks: 0 }],
    [
      'words added to the site list, not instead of it',
      { holdWords: ['trial', 'casino'] },
      { holdWords: ['casino', 'trial'] },
    ],
    ['no guests', { guests: false }, { guests: false }],
    ['no votes', { votes: 'off' as const }, { votes: 'off' }],
  ])('%s', (_name, page, expected) => {
    expect(effectivePageSettings(site, page)).toEqual({ ...site, ...expected });
  });
});

describe('changing a page', () => {
  it('sets, keeps and clears keys (null follows the site again), and names what changed', () => {
    const first = changePageSettings({}, { moderation: 'pre', holdLinks: 1 });
    expect(first).toEqual({
      ok: true,
      settings: { moderation: 'pre', holdLinks: 1 },
      changed: ['moderation', 'holdLinks'],
    });
    const second = changePageSettings({ moderation: 'pre', holdLinks: 1 }, { holdLinks: null, votes: 'off' });
    expect(second).toEqual({
      ok: true,
      settings: { moderation: 'pre', votes: 'off' },
      changed: ['holdLinks', 'votes'],
    });
    expect(changePageSettings({ guests: false }, { guests: false })).toMatchObject({ ok: true, changed: [] });
  });

  it('reports every bad key with its field, an unknown one too', () => {
    const r = changePageSettings({}, { moderation: 'later', holdLinks: -1, spamWords: ['x'] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.field, e.code])).toEqual(
      expect.arrayContaining([
        ['settings.spamWords', 'UNKNOWN_SETTING'],
        ['settings.moderation', 'INVALID_SETTING'],
        ['settings.holdLinks', 'INVALID_SETTING'],
      ]),
    );
    expect(r.errors).toHaveLength(3);
  });

  it('refuses something that is not an object', () => {
    expect(changePageSettings({}, ['pre'])).toEqual({
      ok: false,
      errors: [{ field: 'settings', code: 'INVALID_SETTING', message: 'settings must be a JSON object.' }],
    });
  });

  it('a stored row with one bad key keeps its good ones', () => {
    expect(toPageSettings({ moderation: 'pre', votes: 'sideways' })).toEqual({ moderation: 'pre' });
    expect(overridesAnything(toPageSettings({}))).toBe(false);
    expect(overridesAnything({ guests: true })).toBe(true);
  });
});
