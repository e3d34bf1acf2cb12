import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoSite } from '../../src/demo-site.js';
import { DEMO_SITE_ID } from '../../src/http/demo/demo-page.js';
import type { SiteSettingsInput } from '../../src/domain/site-settings.js';
import { updateSite } from '../../src/store/sites.js';
import { addSite, postJson, waitForStored, type TestApi } from '../support/harness.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { insertHeldComments } from '../support/held-comments.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import type { TestDatabase } from '../support/test-db.js';

/*
 * Issue 16, item 2: staffed hours through the whole service. The pure rule has its own clock tests
 * (tests/unit/staffed-hours.test.ts); here the windows are set around the real clock: one that starts
 * two hours from now (off hours now) and one around now (staffed), so switching between them is the
 * desk opening, and the next comment is checked as usual without anyone touching it.
 */

let db: TestDatabase;
let api: TestApi;
let pipeline: TestPipeline;
let n = 0;
const base: SiteSettingsInput = { holdFirstTime: false, floodSeconds: 0 };

const hhmm = (offsetMinutes: number): string =>
  new Date(Date.now() + offsetMinutes * 60_000).toISOString().slice(11, 16);
/** Every day in UTC, starting two hours from now: the desk is off now. */
const offNow = (outside: 'pre' | 'closed') => ({
  timeZone: 'UTC',
  days: [0, 1, 2, 3, 4, 5, 6],
  from: hhmm(120),
  to: hhmm(180),
  outside,
});
/** Every day in UTC, an hour either side of now (overnight when that spans midnight). */
const onNow = { timeZone: 'UTC', days: [0, 1, 2, 3, 4, 5, 6], from: hhmm(-60), to: hhmm(60), outside: 'pre' as const };

async function setHours(site: string, staffedHours: unknown): Promise<void> {
  await updateSite(db.pool, site, { settings: { ...base, staffedHours } as SiteSettingsInput });
  await api.sites.refresh();
}

async function post(
  site: string,
  page: string,
  body: string,
): Promise<{ status: string; codes: string[]; message: string }> {
  n += 1;
  const res = await postJson(
    api,
    { site, page, author: `R${n}`, email: `r${n}@example.org`, body },
    { origin: api.origin },
  );
  expect(res.status, await res.clone().text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  const stored = await waitForStored(db.pool, id);
  const reasons = stored.verdict.reasons as { code: string; message?: string }[];
  return { status: stored.status, codes: reasons.map((r) => r.code), message: reasons[0]?.message ?? '' };
}

async function json(path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${api.url}${path}`, { headers: { origin: api.origin } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  pipeline = await startPipeline();
  ({ db, api } = pipeline);
  await addSite(db.pool, 'night', [api.origin], base);
  await addSite(db.pool, 'shut', [api.origin], base);
  await api.sites.refresh();
});

afterAll(async () => {
  await pipeline?.close();
});

describe('outside staffed hours with outside: pre', () => {
  it('a new comment is held with OFF_HOURS, and the form says until when; once the desk opens, it publishes again', async () => {
    const hours = offNow('pre');
    await setHours('night', hours);
    const held = await post('night', 'story', 'Posted at night.');
    expect(held).toMatchObject({ status: 'pending', codes: ['OFF_HOURS'] });
    expect(held.message).toContain(`opens at ${hours.from}, UTC`);
    const form = await json('/api/sites/night/public?page=story');
    expect(form).toMatchObject({ reviewed: true, closed: false });
    expect(Date.parse(form.reviewedUntil as string) - Date.now()).toBeGreaterThan(100 * 60_000);
    expect(Date.parse(form.reviewedUntil as string) - Date.now()).toBeLessThan(121 * 60_000);
    // The thread stays open: only the desk is away.
    expect((await json('/api/comments?site=night&page=story')).closed).toBe(false);

    await setHours('night', onNow);
    expect(await post('night', 'story', 'Posted in the morning.')).toMatchObject({ status: 'approved', codes: [] });
    expect(await json('/api/sites/night/public?page=story')).toMatchObject({ reviewed: false });
  });
});

describe('outside staffed hours with outside: closed', () => {
  it('the thread API and the form say "closed until"; a comment is refused; the demo page without JS says so too', async () => {
    const hours = offNow('closed');
    await setHours('shut', hours);
    const thread = await json('/api/comments?site=shut&page=story');
    expect(thread).toMatchObject({ closed: true, closedReason: 'off-hours', closedUntilLocal: hours.from });
    expect(typeof thread.closedUntil).toBe('string');
    expect(await json('/api/sites/shut/public?page=story')).toMatchObject({ closed: true, closedReason: 'off-hours' });
    const refused = await post('shut', 'story', 'Posted while closed.');
    expect(refused).toMatchObject({ status: 'rejected', codes: ['THREAD_CLOSED'] });
    expect(refused.message).toBe(`Comments are closed until ${hours.from}.`);

    await setHours('shut', onNow);
    expect(await json('/api/comments?site=shut&page=story')).toMatchObject({ closed: false });
    expect(await post('shut', 'story', 'Open again.')).toMatchObject({ status: 'approved' });
  });

  it('the no-JS page: "closed until" in place of the form, and "reviewed" over it when pre-moderated', async () => {
    await ensureDemoSite(db.pool, api.url, Number(new URL(api.url).port));
    const demo = { ...base, requireFormToken: false };
    const hours = offNow('closed');
    await updateSite(db.pool, DEMO_SITE_ID, { settings: { ...demo, staffedHours: hours } });
    await api.sites.refresh();
    const closed = await (await fetch(`${api.url}/`)).text();
    expect(closed).toContain(`Comments are closed until`);
    expect(closed).toContain(`${hours.from} UTC`);
    expect(closed).not.toContain('id="commentform"');
    await updateSite(db.pool, DEMO_SITE_ID, {
      settings: { ...demo, moderation: 'pre', staffedHours: null },
    });
    await api.sites.refresh();
    const reviewed = await (await fetch(`${api.url}/?lang=de`)).text();
    expect(reviewed).toContain('Kommentare zu diesem Artikel werden vor dem Erscheinen geprüft.');
    expect(reviewed).toContain('id="commentform"');
  });
});

describe('the expected wait on the queue', () => {
  it('is the held backlog ÷ the decisions per minute over the last hour', async () => {
    await addModerator(db.pool, 'night@example.org', 'moderator', ['night']);
    const desk = new DashboardClient(api.url);
    await desk.signIn('night@example.org');
    const before = await desk.page('/admin?tab=pending&site=night');
    // Nobody decided anything yet: no pace, so no figure.
    expect(before).toMatch(/Expected wait:\s*<b\s*>unknown<\/b\s*>/);
    const held = await insertHeldComments(db.pool, 'night', 'backlog', 32);
    for (const id of held.slice(0, 2)) {
      const r = await desk.post(`/admin/comments/${id}/status`, { action: 'approve' }, { json: true });
      expect(r.status).toBe(200);
    }
    // 31 held (30 left of the batch and the night's first) ÷ (2 decisions / 60 minutes) = 930 minutes.
    const page = await desk.page('/admin?tab=pending&site=night');
    expect(page).toContain('data-minutes="930"');
    expect(page).toContain('about 16 hours');
    expect(page).toMatch(/31 held ÷ 0\.0 decisions a minute/);
  });
});

describe('the admin sets staffed hours without SQL', () => {
  it('saves the hours from the site page, refuses a bad zone with 422, and turns them off again', async () => {
    await addModerator(db.pool, 'chief@example.org', 'admin', []);
    const admin = new DashboardClient(api.url);
    await admin.signIn('chief@example.org');
    expect(await admin.page('/admin/sites/night')).toContain('href="/admin/sites/night/hours"');
    await admin.page('/admin/sites/night/hours');
    const hours = {
      on: '1',
      timeZone: 'Europe/Berlin',
      days: ['1', '2', '3', '4', '5'],
      from: '22:00',
      to: '06:00',
      outside: 'closed',
    };
    expect((await admin.post('/admin/sites/night/hours', hours)).status).toBe(303);
    const { rows } = await db.pool.query<{ settings: { staffedHours: unknown } }>(
      `select settings from sites where id = 'night'`,
    );
    expect(rows[0]!.settings.staffedHours).toEqual({
      timeZone: 'Europe/Berlin',
      days: [1, 2, 3, 4, 5],
      from: '22:00',
      to: '06:00',
      outside: 'closed',
    });
    const bad = await admin.post('/admin/sites/night/hours', { ...hours, timeZone: 'Mars/Olympus' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Not a known time zone');
    expect((await admin.post('/admin/sites/night/hours', { timeZone: 'UTC' })).status).toBe(303);
    const after = await db.pool.query<{ settings: { staffedHours: unknown } }>(
      `select settings from sites where id = 'night'`,
    );
    expect(after.rows[0]!.settings.staffedHours).toBeNull();
    const audit = await db.pool.query(
      `select 1 from moderation_events where action = 'site_update' and site_id = 'night' and actor = 'chief@example.org'`,
    );
    expect(audit.rowCount).toBe(2);
  });
});
