import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSsoSecret } from '../../src/readers/sso-secrets.js';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// The admin's sign-in page of a site: the SSO secret (shown only here, only to admins; rotate,
// remove; audited without the secret) and OpenID Connect providers (the secret is write-only).
let db: TestDatabase;
let api: TestApi;
let admin: DashboardClient;
let moderator: DashboardClient;
const prefix = newQueuePrefix();
const PAGE = '/admin/sites/paper/sign-in';

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'paper', ['https://paper.example']);
  await addModerator(db.pool, 'admin@example.org', 'admin');
  await addModerator(db.pool, 'mod@example.org', 'moderator', ['paper']);
  admin = new DashboardClient(api.url);
  await admin.signIn('admin@example.org');
  moderator = new DashboardClient(api.url);
  await moderator.signIn('mod@example.org');
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('the sign-in settings page', () => {
  it('is linked from the site page and refused to moderators', async () => {
    expect(await admin.page('/admin/sites/paper')).toContain(`href="${PAGE}"`);
    const res = await moderator.get(PAGE);
    expect(res.status).toBe(403);
    const post = await moderator.post(`${PAGE}/sso`, { action: 'generate' });
    expect(post.status).toBe(403);
    expect(await getSsoSecret(db.pool, 'paper')).toBeNull();
    expect((await admin.get('/admin/sites/nope/sign-in')).status).toBe(404);
  });

  it('makes, shows, rotates and removes the SSO secret, audited without it', async () => {
    let page = await admin.page(PAGE);
    expect(page).toContain('This site has no SSO secret');
    const made = await admin.post(`${PAGE}/sso`, { action: 'generate' });
    expect(made.status).toBe(303);
    const first = (await getSsoSecret(db.pool, 'paper'))!;
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    page = await admin.page(PAGE);
    expect(page).toContain(first);
    expect((await admin.get(PAGE)).headers.get('cache-control')).toBe('no-store');
    // Nowhere else: not on the site's settings page, not in the public settings.
    expect(await admin.page('/admin/sites/paper')).not.toContain(first);
    const pub = await fetch(`${api.url}/api/sites/paper/public`);
    expect(await pub.text()).not.toContain(first);

    await admin.post(`${PAGE}/sso`, { action: 'generate' });
    const second = (await getSsoSecret(db.pool, 'paper'))!;
    expect(second).not.toBe(first);
    page = await admin.page(PAGE);
    expect(page).toContain(second);
    expect(page).not.toContain(first);

    await admin.post(`${PAGE}/sso`, { action: 'remove' });
    expect(await getSsoSecret(db.pool, 'paper')).toBeNull();

    const events = await db.pool.query(
      `select actor, detail from moderation_events where action = 'sso_secret_set' and site_id = 'paper' order by id`,
    );
    expect(events.rows.map((r: { detail: { removed: boolean } }) => r.detail.removed)).toEqual([false, false, true]);
    expect(JSON.stringify(events.rows)).not.toContain(first);
    expect(JSON.stringify(events.rows)).not.toContain(second);
    // A form without the CSRF token changes nothing.
    const forged = await admin.post(`${PAGE}/sso`, { action: 'generate' }, { csrf: false });
    expect(forged.status).toBe(403);
    expect(await getSsoSecret(db.pool, 'paper')).toBeNull();
  });

  it('adds and removes providers; the client secret is never shown back', async () => {
    const secret = 'very-secret-client-secret-0123456789';
    const bad = await admin.post(`${PAGE}/providers`, {
      provider: 'Bad Id!',
      name: 'X',
      issuer: 'https://id.example',
      clientId: 'c',
      clientSecret: secret,
    });
    expect(bad.status).toBe(422);
    const badText = await bad.text();
    expect(badText).toContain('lowercase letters');
    expect(badText).not.toContain(secret);
    const insecure = await admin.post(`${PAGE}/providers`, {
      provider: 'kc',
      name: 'Keycloak',
      issuer: 'http://id.example',
      clientId: 'c',
      clientSecret: secret,
    });
    expect(insecure.status).toBe(422);

    const ok = await admin.post(`${PAGE}/providers`, {
      provider: 'kc',
      name: 'Newsroom <Keycloak>',
      issuer: 'https://id.example/realms/news/',
      clientId: 'reply-desk',
      clientSecret: secret,
    });
    expect(ok.status).toBe(303);
    let page = await admin.page(PAGE);
    expect(page).toContain('Sign in with Newsroom &lt;Keycloak&gt;');
    expect(page).toContain('https://id.example/realms/news');
    expect(page).toContain(`${api.url}/readers/oidc/callback`);
    expect(page).not.toContain(secret);
    const row = await db.pool.query(`select issuer, client_secret from reader_oidc_providers where id = 'kc'`);
    expect(row.rows[0]).toEqual({ issuer: 'https://id.example/realms/news', client_secret: secret });

    // Changed without a secret: the stored one is kept.
    await admin.post(`${PAGE}/providers`, {
      provider: 'kc',
      name: 'Keycloak',
      issuer: 'https://id.example/realms/news',
      clientId: 'reply-desk-2',
      clientSecret: '',
    });
    const kept = await db.pool.query(`select client_id, client_secret from reader_oidc_providers where id = 'kc'`);
    expect(kept.rows[0]).toEqual({ client_id: 'reply-desk-2', client_secret: secret });
    // The widget's public settings list the button, never the secret.
    const pub = await (await fetch(`${api.url}/api/sites/paper/public`)).text();
    expect(pub).not.toContain(secret);

    const removed = await admin.post(`${PAGE}/providers/kc/delete`, {});
    expect(removed.status).toBe(303);
    page = await admin.page(PAGE);
    expect(page).toContain('No providers yet.');
    expect((await admin.post(`${PAGE}/providers/kc/delete`, {})).status).toBe(404);

    // Every change is audited by the admin who made it, without the secret.
    const audit = await db.pool.query<{ actor: string; action: string; detail: Record<string, unknown> }>(
      `select actor, action, detail from moderation_events
        where site_id = 'paper' and action in ('oidc_provider_set', 'oidc_provider_remove') order by id`,
    );
    expect(audit.rows.map((r) => [r.action, r.detail.provider, r.detail.secretChanged])).toEqual([
      ['oidc_provider_set', 'kc', true],
      ['oidc_provider_set', 'kc', false],
      ['oidc_provider_remove', 'kc', undefined],
    ]);
    expect(new Set(audit.rows.map((r) => r.actor)).size).toBe(1);
    expect(audit.rows[0]?.actor).toMatch(/@/);
    expect(JSON.stringify(audit.rows)).not.toContain(secret);
  });
});
