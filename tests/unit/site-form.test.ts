import { describe, expect, it } from 'vitest';
import { diffSites, newSiteFormValues, parseSiteForm, toLines, toSiteFormValues } from '../../src/domain/site-form.js';
import { siteSettingsSchema, toSiteSettings } from '../../src/domain/site-settings.js';

const defaults = siteSettingsSchema.parse({});

/** A complete, valid form as the browser posts it (checked boxes only). */
function form(over: Record<string, string | undefined> = {}): Record<string, unknown> {
  const base: Record<string, string | undefined> = {
    id: 'news',
    name: 'The News',
    origins: 'https://news.example',
    moderation: 'rules',
    holdWords: '',
    spamWords: '',
    holdLinks: '2',
    closeAfterDays: '0',
    maxDepth: '5',
    floodSeconds: '15',
    flagThreshold: '3',
    ipRetentionDays: '30',
    requireName: '1',
    requireEmail: '1',
    holdFirstTime: '1',
  };
  const merged = { ...base, ...over };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
}

function errorsOf(fields: Record<string, unknown>, creating = false): Record<string, string> {
  const r = parseSiteForm(fields, creating);
  return r.ok ? {} : Object.fromEntries(r.errors.map((e) => [e.field, e.message]));
}

describe('parseSiteForm', () => {
  it('turns a complete form into a site with normalised origins and word lists', () => {
    const r = parseSiteForm(
      form({
        origins: 'https://News.Example:443/\r\n\nhttp://localhost:8080/path\nhttps://news.example',
        holdWords: ' casino \nCasino\n\nloan',
        flagThreshold: '5',
      }),
      true,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.site.allowedOrigins).toEqual(['https://news.example', 'http://localhost:8080']);
    expect(r.site.settings.holdWords).toEqual(['casino', 'loan']);
    expect(r.site.settings.flagThreshold).toBe(5);
    expect(r.site.name).toBe('The News');
  });

  it('reads an unchecked box (absent from the post) as off', () => {
    const r = parseSiteForm(form({ requireEmail: undefined, holdFirstTime: undefined }), false);
    expect(r.ok && r.site.settings).toMatchObject({ requireName: true, requireEmail: false, holdFirstTime: false });
  });

  it.each([
    [{ holdLinks: '-1' }, 'holdLinks', 'Must be at least 0.'],
    [{ flagThreshold: '0' }, 'flagThreshold', 'Must be at least 1.'],
    [{ maxDepth: '11' }, 'maxDepth', 'Must be at most 10.'],
    [{ floodSeconds: 'ten' }, 'floodSeconds', 'Enter a whole number.'],
    [{ closeAfterDays: '' }, 'closeAfterDays', 'Enter a whole number.'],
    [{ closeAfterDays: '1.5' }, 'closeAfterDays', 'Enter a whole number.'],
    [{ moderation: 'whatever' }, 'moderation', 'Choose one of the options.'],
    [{ name: '   ' }, 'name', 'Give the site a name.'],
    [{ origins: 'news.example' }, 'origins', '"news.example" is not an http(s) origin such as https://example.org.'],
    [
      { origins: 'javascript:alert(1)' },
      'origins',
      '"javascript:alert(1)" is not an http(s) origin such as https://example.org.',
    ],
    [{ spamWords: `ok\n${'x'.repeat(201)}` }, 'spamWords', 'Line 2: at most 200 characters.'],
  ])('refuses %j with a message on %s', (over, field, message) => {
    expect(errorsOf(form(over))[field]).toBe(message);
  });

  it('reports every bad field at once and keeps the values as entered', () => {
    const r = parseSiteForm(form({ holdLinks: 'lots', flagThreshold: '0', name: '', holdWords: 'a\n b ' }), false);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field).sort()).toEqual(['flagThreshold', 'holdLinks', 'name']);
    expect(r.values).toMatchObject({ holdLinks: 'lots', flagThreshold: '0', holdWords: 'a\n b ' });
  });

  it('checks the id only when creating a site', () => {
    expect(errorsOf(form({ id: 'Bad Id' }), true).id).toMatch(/lowercase/);
    expect(errorsOf(form({ id: 'Bad Id' }), false).id).toBeUndefined();
  });

  it('keeps stored settings the post does not carry, but refuses a number sent blank', () => {
    const stored = { ...defaults, ipRetentionDays: 7, flagThreshold: 9 };
    const r = parseSiteForm(form({ ipRetentionDays: undefined }), false, stored);
    expect(r.ok && r.site.settings.ipRetentionDays).toBe(7);
    expect(r.ok && r.site.settings.flagThreshold).toBe(3);
    expect(errorsOf({ ...form({ ipRetentionDays: '' }) })).toEqual({ ipRetentionDays: 'Enter a whole number.' });
  });

  it('sets the language, default sort and votes from their selects, keeps them when a post lacks them, refuses others', () => {
    const r = parseSiteForm(form({ language: 'de', defaultSort: 'top', votes: 'updown' }), false);
    expect(r.ok && [r.site.settings.language, r.site.settings.defaultSort, r.site.settings.votes]).toEqual([
      'de',
      'top',
      'updown',
    ]);
    const stored = { ...defaults, language: 'ja' as const, votes: 'off' as const };
    const kept = parseSiteForm(form(), false, stored);
    expect(kept.ok && [kept.site.settings.language, kept.site.settings.votes]).toEqual(['ja', 'off']);
    expect(kept.values.language).toBe('ja');
    expect(errorsOf(form({ language: 'xx', votes: 'sideways' }))).toEqual({
      language: 'Choose one of the options.',
      votes: 'Choose one of the options.',
    });
  });

  it('ignores fields that are not on the form', () => {
    const r = parseSiteForm({ ...form(), status: 'approved', settings: '{"holdLinks":99}' }, false);
    expect(r.ok && r.site.settings.holdLinks).toBe(2);
  });
});

describe('form values', () => {
  it('round-trips a stored site through the form unchanged', () => {
    const site = {
      id: 'blog',
      name: 'Blog',
      allowedOrigins: ['https://blog.example'],
      settings: {
        ...defaults,
        holdWords: ['a', 'b c'],
        moderation: 'pre' as const,
        requireEmail: false,
        language: 'fr' as const,
        defaultSort: 'newest' as const,
      },
    };
    const fields: Record<string, unknown> = { ...toSiteFormValues(site) };
    for (const k of ['requireName', 'requireEmail', 'holdFirstTime']) fields[k] = fields[k] ? '1' : undefined;
    const r = parseSiteForm(fields, true);
    expect(r.ok && r.site).toEqual({
      id: 'blog',
      name: 'Blog',
      allowedOrigins: ['https://blog.example'],
      settings: site.settings,
    });
  });

  it('starts a new site at the defaults', () => {
    expect(newSiteFormValues()).toMatchObject({
      id: '',
      name: '',
      flagThreshold: '3',
      moderation: 'rules',
      requireName: true,
    });
  });

  it('splits lines on any line ending and drops blanks and repeats', () => {
    expect(toLines('a\r\nb\rc\n\n  A \nd')).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('diffSites', () => {
  const before = { name: 'News', allowedOrigins: ['https://a.example'], settings: defaults };

  it('lists only the changed keys with their values before and after', () => {
    const after = {
      ...before,
      allowedOrigins: ['https://a.example', 'https://b.example'],
      settings: { ...defaults, flagThreshold: 5 },
    };
    expect(diffSites(before, after)).toEqual({
      before: { allowedOrigins: ['https://a.example'], flagThreshold: 3 },
      after: { allowedOrigins: ['https://a.example', 'https://b.example'], flagThreshold: 5 },
    });
  });

  it('is empty when nothing changed', () => {
    expect(diffSites(before, { ...before, settings: { ...defaults } })).toEqual({ before: {}, after: {} });
  });

  it('lists every key for a new site', () => {
    const d = diffSites(null, before);
    expect(d.before).toEqual({});
    expect(Object.keys(d.after)).toEqual(['name', 'allowedOrigins', ...Object.keys(defaults)]);
  });
});

describe('requireFormToken', () => {
  it('a new site starts with it on; a stored site shows what it has; the box decides on save', () => {
    expect(newSiteFormValues().requireFormToken).toBe(true);
    expect(toSiteFormValues({ name: 'Old', allowedOrigins: [], settings: toSiteSettings({}) }).requireFormToken).toBe(
      false,
    );
    const on = parseSiteForm(form({ id: 'new-site', requireFormToken: '1' }), true);
    expect(on.ok && on.site.settings.requireFormToken).toBe(true);
    const off = parseSiteForm(form({ id: 'new-site' }), true);
    expect(off.ok && off.site.settings.requireFormToken).toBe(false);
  });
});

describe('gravatar', () => {
  it('is off for a new and a stored site, and the box turns it on (and, unchecked, off again)', () => {
    expect(newSiteFormValues().gravatar).toBe(false);
    const on = parseSiteForm(form({ gravatar: '1' }), false);
    expect(on.ok && on.site.settings.gravatar).toBe(true);
    const off = parseSiteForm(form(), false, { gravatar: true });
    expect(off.ok && off.site.settings.gravatar).toBe(false);
  });
});

describe('spamBlockedHamTarget', () => {
  it('is entered as a percentage and stored as a fraction; a bad one is refused, a missing one kept', () => {
    const saved = (over: Record<string, string | undefined>, base = {}) => {
      const r = parseSiteForm(form(over), false, base);
      return r.ok ? r.site.settings.spamBlockedHamTarget : null;
    };
    expect(saved({ spamBlockedHamTarget: '0.5' })).toBe(0.005);
    expect(saved({ spamBlockedHamTarget: ' 2 ' })).toBe(0.02);
    expect(saved({}, { spamBlockedHamTarget: 0.007 })).toBe(0.007);
    expect(saved({})).toBe(0.01);
    for (const bad of ['0', '25', '1.25', 'one', '']) {
      expect(errorsOf(form({ spamBlockedHamTarget: bad }))).toEqual({
        spamBlockedHamTarget: 'Enter a percentage from 0.1 to 20.',
      });
    }
    expect(
      toSiteFormValues({ name: 'N', allowedOrigins: [], settings: toSiteSettings({ spamBlockedHamTarget: 0.007 }) })
        .spamBlockedHamTarget,
    ).toBe('0.7');
  });
});
