import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSiteFormValues } from '../../src/domain/site-form.js';
import { loadSite } from '../../src/store/sites.js';
import { addSite, postJson, waitForStored, type TestApi } from '../support/harness.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import type { TestDatabase } from '../support/test-db.js';

// Admins edit sites at /admin/sites: validated with the settings schema, logged in the audit log, and
// followed at once by intake (the API's site cache) and by the worker on the next comment.
let db: TestDatabase;
let api: TestApi;
let pipeline: TestPipeline;
let n = 0;

/** The site's form as a browser would post it now, with some fields changed (undefined unchecks a box). */
async function formFor(id: string, over: Record<string, string | undefined> = {}): Promise<Record<string, string>> {
  const site = await loadSite(db.pool, id);
  if (!site) throw new Error(`no site ${id}`);
  const fields: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(toSiteFormValues(site)))
    fields[k] = typeof v === 'boolean' ? (v ? '1' : undefined) : v;
  return Object.fromEntries(
    Object.entries({ ...fields, ...over }).filter((e): e is [string, string] => e[1] !== undefined),
  );
}

async function siteEvents(
  id: string,
): Promise<
  { actor: string; detail: { before: Record<string, unknown>; after: Record<string, unknown>; created?: boolean } }[]
> {
  const { rows } = await db.pool.query(
    `select actor, detail from moderation_events where action = 'site_update' and site_id = $1 order by id`,
    [id],
  );
  return rows;
}

async function admin(): Promise<DashboardClient> {
  const c = new DashboardClient(api.url);
  await c.signIn('admin@example.org');
  return c;
}

beforeAll(async () => {
  pipeline = await startPipeline();
  ({ db, api } = pipeline);
  await addSite(db.pool, 'news', [api.origin], { holdFirstTime: false, floodSeconds: 0, holdLinks: 0 });
  await addSite(db.pool, 'blog', [api.origin], {});
  await addModerator(db.pool, 'admin@example.org', 'admin');
  await addModerator(db.pool, 'mod@example.org', 'moderator', ['news', 'blog']);
});

afterAll(async () => {
  await pipeline?.close();
});

describe('editing a site', () => {
  it('lists the sites and shows a site’s settings in its form', async () => {
    const c = await admin();
    const list = await c.page('/admin/sites');
    expect(list).toContain('href="/admin/sites/news"');
    expect(list).toContain('href="/admin/sites/blog"');
    const page = await c.page('/admin/sites/news');
    expect(page).toContain(`<textarea id="f-origins" name="origins" rows="5">${api.origin}</textarea>`);
    expect(page).toMatch(/name="flagThreshold" inputmode="numeric" value="3"/);
    expect(page).toContain('<option value="auto" selected>');
    expect(page).toContain('<option value="ja">日本語</option>');
    expect((await c.get('/admin/sites/nope')).status).toBe(404);
  });

  it('sets the widget’s language, default sort and votes from the form, shows them again, and refuses a language it lacks', async () => {
    await addSite(db.pool, 'polyglot', [api.origin], {});
    const c = await admin();
    await c.page('/admin/sites/polyglot');
    const res = await c.post(
      '/admin/sites/polyglot',
      await formFor('polyglot', { language: 'de', defaultSort: 'newest', votes: 'updown' }),
    );
    expect(res.status).toBe(303);
    expect((await loadSite(db.pool, 'polyglot'))?.settings).toMatchObject({
      language: 'de',
      defaultSort: 'newest',
      votes: 'updown',
    });
    expect(await c.page('/admin/sites/polyglot')).toContain('<option value="de" selected>Deutsch</option>');
    const bad = await c.post('/admin/sites/polyglot', await formFor('polyglot', { language: 'klingon' }));
    expect(bad.status).toBe(422);
    expect((await loadSite(db.pool, 'polyglot'))?.settings.language).toBe('de');
  });

  it('saves the changed settings, logs only the changed keys, and intake follows the new origins at once', async () => {
    const c = await admin();
    await c.page('/admin/sites/news');
    const newOrigin = 'https://partner.example';
    // Before: a page on the partner's origin may not post.
    const refused = await postJson(
      api,
      { site: 'news', page: 'p', author: 'A', email: 'a@example.org', body: 'hi' },
      { origin: newOrigin },
    );
    expect(refused.status).toBe(403);

    const res = await c.post(
      '/admin/sites/news',
      await formFor('news', {
        origins: `${api.origin}\nHTTPS://Partner.Example:443/some/page`,
        flagThreshold: '5',
        holdWords: 'casino\nloan',
        requireEmail: undefined,
      }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/admin\/sites\/news\?notice=Saved/);
    const site = await loadSite(db.pool, 'news');
    expect(site?.allowedOrigins).toEqual([api.origin, newOrigin]);
    expect(site?.settings).toMatchObject({
      flagThreshold: 5,
      holdWords: ['casino', 'loan'],
      requireEmail: false,
      floodSeconds: 0,
    });

    const events = await siteEvents('news');
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({
      actor: 'admin@example.org',
      detail: {
        before: { allowedOrigins: [api.origin], requireEmail: true, holdWords: [], flagThreshold: 3 },
        after: {
          allowedOrigins: [api.origin, newOrigin],
          requireEmail: false,
          holdWords: ['casino', 'loan'],
          flagThreshold: 5,
        },
      },
    });

    // The API's site cache was refreshed: the partner's page may post now, without an email.
    const accepted = await postJson(
      api,
      { site: 'news', page: 'p', author: 'A', body: 'hello from the partner' },
      { origin: newOrigin },
    );
    expect(accepted.status).toBe(202);

    // Saving the same form again changes nothing and logs nothing.
    const again = await c.post('/admin/sites/news', await formFor('news'));
    expect(decodeURIComponent(again.headers.get('location') ?? '')).toContain('Nothing changed.');
    expect(await siteEvents('news')).toHaveLength(1);
  });

  it('refuses invalid values with 422, each error next to its field and every entered value kept', async () => {
    const c = await admin();
    await c.page('/admin/sites/blog');
    const before = await loadSite(db.pool, 'blog');
    const res = await c.post(
      '/admin/sites/blog',
      await formFor('blog', {
        name: '<script>alert(1)</script>',
        flagThreshold: '0',
        holdLinks: 'many',
        origins: 'not an origin',
        spamWords: 'viagra\n<b>pills</b>',
      }),
    );
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('viagra\n&lt;b&gt;pills&lt;/b&gt;</textarea>');
    expect(page).toMatch(/name="flagThreshold" inputmode="numeric" value="0"[^>]*aria-invalid="true"/);
    expect(page).toContain(
      '<span class="rd-field-error" id="err-flagThreshold" role="alert">Must be at least 1.</span>',
    );
    expect(page).toContain('<span class="rd-field-error" id="err-holdLinks" role="alert">Enter a whole number.</span>');
    expect(page).toContain('id="err-origins"');
    expect(page).toContain('value="many"');
    expect(await loadSite(db.pool, 'blog')).toEqual(before);
    expect(await siteEvents('blog')).toEqual([]);
  });

  it('a change of moderation mode is honoured by the worker on the next comment', async () => {
    const post = async (): Promise<string> => {
      n += 1;
      const res = await postJson(
        api,
        { site: 'news', page: 'p', author: `W${n}`, email: `w${n}@example.org`, body: `Worker check ${n}` },
        { origin: api.origin },
      );
      expect(res.status).toBe(202);
      return ((await res.json()) as { id: string }).id;
    };
    expect((await waitForStored(db.pool, await post())).status).toBe('approved');
    const c = await admin();
    await c.page('/admin/sites/news');
    expect((await c.post('/admin/sites/news', await formFor('news', { moderation: 'pre' }))).status).toBe(303);
    const held = await waitForStored(db.pool, await post());
    expect(held.status).toBe('pending');
    expect(held.verdict.reasons.map((r) => r.code)).toContain('PRE_MODERATION');
  });
});

describe('creating a site', () => {
  it('creates a site from the sites page, logs it, and refuses a taken id with the form kept', async () => {
    const c = await admin();
    await c.page('/admin/sites');
    const fields = { ...(await formFor('blog')), id: 'shop', name: 'The Shop', origins: 'https://shop.example' };
    const res = await c.post('/admin/sites', fields);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/admin\/sites\/shop\?notice=/);
    expect(await loadSite(db.pool, 'shop')).toMatchObject({
      name: 'The Shop',
      allowedOrigins: ['https://shop.example'],
    });
    const [event] = await siteEvents('shop');
    expect(event?.detail.created).toBe(true);
    expect(event?.detail.after).toMatchObject({ name: 'The Shop', allowedOrigins: ['https://shop.example'] });
    // Intake knows the new site at once.
    expect(await api.sites.get('shop')).not.toBeNull();

    const taken = await c.post('/admin/sites', { ...fields, name: 'Another shop' });
    expect(taken.status).toBe(422);
    const page = await taken.text();
    expect(page).toContain('A site with this id exists already.');
    expect(page).toContain('value="Another shop"');
    expect(page).toContain('<details class="rd-new-site" open>');
  });
});

describe('who may change sites', () => {
  it('answers 403 to a moderator, on the pages and on a save', async () => {
    const c = new DashboardClient(api.url);
    await c.signIn('mod@example.org');
    expect((await c.get('/admin/sites')).status).toBe(403);
    expect((await c.get('/admin/sites/news')).status).toBe(403);
    const before = await loadSite(db.pool, 'blog');
    const res = await c.post('/admin/sites/blog', await formFor('blog', { flagThreshold: '9' }));
    expect(res.status).toBe(403);
    expect((await c.post('/admin/sites', { ...(await formFor('blog')), id: 'sneaky', name: 'Sneaky' })).status).toBe(
      403,
    );
    expect(await loadSite(db.pool, 'blog')).toEqual(before);
    expect(await loadSite(db.pool, 'sneaky')).toBeNull();
  });

  it('sends a signed-out visitor to sign in and refuses a signed-out save', async () => {
    const anon = new DashboardClient(api.url);
    const res = await anon.get('/admin/sites/news');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/sign-in?next=%2Fadmin%2Fsites%2Fnews');
    await anon.page('/admin/sign-in');
    expect((await anon.post('/admin/sites/news', await formFor('news'), { json: true })).status).toBe(401);
  });

  it('refuses a save without the CSRF token', async () => {
    const c = await admin();
    await c.page('/admin/sites/blog');
    const before = await loadSite(db.pool, 'blog');
    const res = await c.post('/admin/sites/blog', await formFor('blog', { flagThreshold: '9' }), { csrf: false });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('did not come from Reply Desk');
    expect(await loadSite(db.pool, 'blog')).toEqual(before);
  });
});
