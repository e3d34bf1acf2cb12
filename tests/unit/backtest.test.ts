import { describe, expect, it } from 'vitest';
import { toSiteSettings, type SiteSettingsInput } from '../../src/domain/site-settings.js';
import { backtestChecks, toBacktestJson, type StoredCheck } from '../../src/moderation/backtest.js';
import { backtestSettingsOf, patchSiteSettings, toBacktestDays } from '../../src/moderation/backtest-change.js';
import { checkComment } from '../../src/moderation/check-comment.js';
import { classifierThresholds } from '../../src/moderation/rules/classifier-rule.js';
import { calibrateHold } from '../../src/spam/hold-calibration.js';
import { fromStoredFacts, toStoredFacts, type RowFields } from '../../src/moderation/stored-facts.js';
import type { CheckContext, CommentStatus } from '../../src/moderation/verdict.js';
import { baseContext, PARENT_ID, RECEIVED_AT } from './support/check-context.js';

/*
 * Issue 17, item 3: the pure half of "what if I change this rule?". The facts stored with a verdict
 * come back as the context the rules read; re-run under proposed settings, they say exactly what would
 * have changed, page overrides merged as the worker merges them.
 */

const site = (s: SiteSettingsInput = {}) => toSiteSettings({ holdFirstTime: false, ...s });

/** A stored check as the store makes it: the context through jsonb and back, the status the rules gave then. */
function stored(id: string, ctx: CheckContext, pageId = 1): StoredCheck {
  const row: RowFields = {
    page: ctx.fields.page,
    author: ctx.fields.author,
    email: ctx.fields.email,
    url: ctx.fields.url,
    body: ctx.fields.body,
  };
  return {
    id,
    pageId,
    status: checkComment(ctx).status,
    context: fromStoredFacts(JSON.parse(JSON.stringify(toStoredFacts(ctx))), row),
  };
}

describe('the facts stored with a verdict', () => {
  it('keep everything the rules read but the settings and the row’s own fields, and give Dates back as Dates', () => {
    const ctx = baseContext({
      fields: { parentId: PARENT_ID, body: 'Dated 2024-06-01T12:00:00.000Z in the text is text' },
      lastFromAuthorAt: new Date('2024-05-31T08:00:00.000Z'),
      page: { id: 7, closed: false, firstCommentAt: new Date('2024-05-01T00:00:00.000Z') },
      formToken: { status: 'valid', renderedAt: new Date('2024-06-01T11:59:00.000Z') },
    });
    const facts = toStoredFacts(ctx);
    expect(facts).not.toHaveProperty('settings');
    expect(facts.fields).toEqual({ parentId: PARENT_ID });
    const back = fromStoredFacts(JSON.parse(JSON.stringify(facts)), {
      page: ctx.fields.page,
      author: ctx.fields.author,
      email: ctx.fields.email,
      url: ctx.fields.url,
      body: ctx.fields.body,
    });
    const { settings: _settings, ...expected } = ctx;
    expect(back).toEqual(expected);
    expect(back?.receivedAt).toEqual(RECEIVED_AT);
    expect(back?.formToken?.renderedAt).toBeInstanceOf(Date);
    expect(back?.fields.body).toBe('Dated 2024-06-01T12:00:00.000Z in the text is text');
  });

  it('leave out a banned or remembered address (the row’s own columns are what privacy jobs scrub)', () => {
    const facts = toStoredFacts(
      baseContext({
        ban: { kind: 'ip', value: '203.0.113.9' },
        spamMemory: { kind: 'email', value: 'x@example.org', at: RECEIVED_AT },
      }),
    );
    expect(facts.ban).toEqual({ kind: 'ip', value: '' });
    expect(facts.spamMemory).toEqual({ kind: 'email', value: '', at: RECEIVED_AT });
    expect(JSON.stringify(facts)).not.toContain('203.0.113.9');
  });

  it("keep a calibrated site's samples small, and the calibration exact under every target a site may set", () => {
    // 2,000 approvals, as a busy calibrated site has: most score low, 60 at or above 0.5.
    const samples = Array.from({ length: 2000 }, (_, i) => (i < 1940 ? (i % 97) / 200 : 0.5 + (i - 1940) / 130));
    samples.sort((a, b) => a - b);
    const spamScore = { pSpam: 0.62, trained: true, features: [], recentHamScores: samples };
    const ctx = baseContext({ spamScore });
    const json = JSON.stringify(toStoredFacts(ctx));
    // Whole, the samples alone were some 40 kB of JSON on every comment.
    expect(json.length).toBeLessThan(2500);
    const { parentId: _parentId, ...row } = ctx.fields;
    const back = fromStoredFacts(JSON.parse(json), row);
    expect(back?.spamScore?.recentHamScores).toHaveLength(60);
    expect(back?.spamScore?.recentHamScoresBelow).toBe(1940);
    const statuses = new Set<string>();
    for (const target of [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2]) {
      const settings = site({ spamBlockedHamTarget: target });
      const then = calibrateHold(samples, target, classifierThresholds);
      const s = back!.spamScore!;
      expect(
        calibrateHold(s.recentHamScores!, target, classifierThresholds, undefined, s.recentHamScoresBelow),
      ).toEqual(then);
      const verdict = checkComment({ ...back!, settings });
      expect(verdict).toEqual(checkComment({ ...ctx, settings }));
      statuses.add(verdict.status);
    }
    // The targets move the threshold across this comment's score: the comparison above can fail.
    expect([...statuses].sort()).toEqual(['approved', 'pending']);
  });

  it.each([null, undefined, 'text', [], {}, { fields: { parentId: null } }])(
    'without facts (%j) a row is not backtestable',
    (raw) => {
      expect(fromStoredFacts(raw, { page: 'p', author: 'a', email: '', url: '', body: 'b' })).toBeNull();
    },
  );
});

describe('a backtest re-runs the rules under proposed settings', () => {
  const plain = baseContext({ fields: { body: 'You are an idiot, sir.' } });
  const twoLinks = baseContext({ fields: { body: 'a https://a.example b https://b.example' }, linkCount: 2 });
  const firstTimer = baseContext({ authorHasApproved: false });
  const trustedIdiot = baseContext({ fields: { body: 'Idiot again.' }, trusted: true });

  it.each<[string, CheckContext, SiteSettingsInput, SiteSettingsInput, CommentStatus | null]>([
    ['a hold word added holds a published comment', plain, {}, { holdWords: ['idiot'] }, 'pending'],
    ['a spam word added marks it spam', plain, {}, { spamWords: ['idiot'] }, 'spam'],
    ['fewer links held: two links now hold', twoLinks, { holdLinks: 3 }, { holdLinks: 2 }, 'pending'],
    ['the link rule off publishes what it held', twoLinks, { holdLinks: 2 }, { holdLinks: 0 }, 'approved'],
    ['first-time hold turned on holds a first-timer', firstTimer, {}, { holdFirstTime: true }, 'pending'],
    ['first-time hold turned off publishes them', firstTimer, { holdFirstTime: true }, {}, 'approved'],
    ['pre-moderation holds everything', plain, {}, { moderation: 'pre' }, 'pending'],
    [
      'an open site publishes what a hold word held',
      plain,
      { holdWords: ['idiot'] },
      { moderation: 'open' },
      'approved',
    ],
    ['a trusted author skips a new hold word', trustedIdiot, {}, { holdWords: ['idiot'] }, null],
    ['a setting no rule reads changes nothing', plain, {}, { votes: 'off', maxDepth: 3 }, null],
  ])('%s', (_name, ctx, before, after, to) => {
    const check = stored('c1', { ...ctx, settings: site(before) });
    const result = backtestChecks([check], () => ({ current: site(before), proposed: site(after) }), { sampleSize: 5 });
    expect(result.comments).toBe(1);
    expect(result.drift).toBe(0);
    if (to === null) {
      expect(result).toMatchObject({ changed: 0, transitions: {}, sample: [] });
    } else {
      expect(result.changed).toBe(1);
      expect(result.transitions).toEqual({ [`${check.status}->${to}`]: 1 });
      expect(result.sample).toEqual([expect.objectContaining({ id: 'c1', from: check.status, to })]);
    }
  });

  it('counts each transition, names at most the sample size, and counts rows without facts apart', () => {
    const checks = [
      stored('a', { ...plain, settings: site() }),
      stored('b', { ...plain, settings: site() }),
      stored('c', { ...twoLinks, settings: site({ holdLinks: 3 }) }),
      stored('d', { ...firstTimer, settings: site() }),
      { id: 'old', pageId: 1, status: 'approved' as const, context: null },
    ];
    const settings = site({ holdWords: ['idiot'], holdLinks: 2, spamWords: ['nothing-here'] });
    const result = backtestChecks(checks, () => ({ current: site({ holdLinks: 3 }), proposed: settings }), {
      sampleSize: 2,
    });
    expect(toBacktestJson(result)).toEqual({
      comments: 4,
      changed: 3,
      transitions: { 'approved->pending': 3 },
      sample: ['a', 'b'],
      notBacktestable: 1,
      drift: 0,
    });
    expect(result.sample[0]?.codes).toEqual(['HOLD_WORD']);
  });

  it('names the newest changed comments, newest first, in whatever order they are read', () => {
    const at = (h: number) => new Date(RECEIVED_AT.getTime() + h * 3_600_000);
    const checks = [3, 1, 4, 0, 2].map((h) => stored(`h${h}`, { ...plain, receivedAt: at(h), settings: site() }));
    const result = backtestChecks(checks, () => ({ current: site(), proposed: site({ holdWords: ['idiot'] }) }), {
      sampleSize: 3,
    });
    expect(result.sample.map((s) => s.id)).toEqual(['h4', 'h3', 'h2']);
    expect(result.changed).toBe(5);
  });

  it('says how many would change under the settings saved now already (the rules changed since)', () => {
    const check = stored('a', { ...plain, settings: site() });
    const now = site({ holdWords: ['idiot'] });
    const result = backtestChecks([check], () => ({ current: now, proposed: now }), { sampleSize: 1 });
    expect(result).toMatchObject({ changed: 1, drift: 1 });
  });

  it('leaves out the comments of pages the change does not cover', () => {
    const checks = [
      stored('here', { ...plain, settings: site() }, 1),
      stored('there', { ...plain, settings: site() }, 2),
    ];
    const proposed = site({ holdWords: ['idiot'] });
    const result = backtestChecks(checks, (pageId) => (pageId === 1 ? { current: site(), proposed } : null), {
      sampleSize: 5,
    });
    expect(toBacktestJson(result)).toMatchObject({ comments: 1, changed: 1, sample: ['here'] });
  });
});

describe('the settings each page is backtested under', () => {
  const now = site({ holdWords: ['scandal'], holdLinks: 2 });

  it('a site change: each page with its own overrides over the proposed settings', () => {
    const proposed = site({ holdWords: ['idiot'], holdLinks: 5, moderation: 'rules' });
    const s = backtestSettingsOf(now, { kind: 'site', settings: proposed }, 3, {
      holdWords: ['verdict'],
      holdLinks: 0,
    });
    expect(s?.proposed.holdWords).toEqual(['idiot', 'verdict']);
    expect(s?.proposed.holdLinks).toBe(0);
    expect(s?.current.holdWords).toEqual(['scandal', 'verdict']);
  });

  it('a page change: that page only, its proposed overrides over the site’s settings now', () => {
    const change = { kind: 'page' as const, pageId: 3, settings: { moderation: 'pre' as const } };
    expect(backtestSettingsOf(now, change, 4, {})).toBeNull();
    const s = backtestSettingsOf(now, change, 3, { holdLinks: 0 });
    expect(s?.proposed).toMatchObject({ moderation: 'pre', holdLinks: 2, holdWords: ['scandal'] });
    expect(s?.current).toMatchObject({ moderation: 'rules', holdLinks: 0 });
  });
});

describe('a settings patch to backtest', () => {
  const current = site({ holdLinks: 3 });

  it('merges over the site’s settings and keeps the rest', () => {
    const r = patchSiteSettings(current, { holdWords: ['idiot'] });
    expect(r.ok && r.settings).toMatchObject({ holdWords: ['idiot'], holdLinks: 3 });
  });

  it.each<[string, unknown, string[]]>([
    ['not an object', ['holdWords'], ['settings']],
    ['null', null, ['settings']],
    ['a misspelt key', { holdWord: ['x'] }, ['settings.holdWord']],
    ['a value out of range', { holdLinks: -1 }, ['settings.holdLinks']],
    [
      'a wrong type',
      { moderation: 'sometimes', holdFirstTime: 'yes' },
      ['settings.moderation', 'settings.holdFirstTime'],
    ],
  ])('refuses %s, naming the field', (_name, patch, fields) => {
    const r = patchSiteSettings(current, patch);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.field)).toEqual(fields);
  });

  it.each<[unknown, number | null]>([
    [undefined, 30],
    ['', 30],
    ['7', 7],
    [' 90 ', 90],
    [365, 365],
    ['0', null],
    ['366', null],
    ['1.5', null],
    ['-3', null],
    ['week', null],
  ])('days %j → %j', (value, days) => {
    expect(toBacktestDays(value)).toBe(days);
  });
});
