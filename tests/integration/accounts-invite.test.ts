import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, startWorker, type TestApi } from '../support/harness.js';
import { invitePathIn } from '../support/invite-link.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Issue 16, item 3: an admin invites someone by mail (sql/0043). The real mail worker sends it through a
// local SMTP sink; the link's GET only shows the form, its POST with a strong enough password creates
// the account with the invited roles and signs it in, once; an expired or replaced link works no more.
let db: TestDatabase;
let api: TestApi;
let noMail: TestApi;
let worker: { close(): Promise<void> };
let sink: SmtpSink;
let admin: DashboardClient;
const prefix = newQueuePrefix();
const otherPrefix = newQueuePrefix();
const GOOD = 'lantern orchard vessel quiet';

const linkIn = (mail: ParsedMail): Promise<string> => invitePathIn(db.pool, mail);

async function invite(email: string, fields: Record<string, string | string[]> = {}): Promise<Response> {
  await admin.page('/admin/moderators/invite');
  return admin.post('/admin/moderators/invite', {
    email,
    displayName: 'Night Desk',
    role: 'moderator',
    sites: ['news'],
    role_news: 'moderator',
    ...fields,
  });
}

/** Opens the link in a new browser and posts the form; returns that browser and the answer. */
async function accept(path: string, password: string, again = password) {
  const c = new DashboardClient(api.url);
  const page = await c.page(path);
  const token = new URL(path, api.url).searchParams.get('t')!;
  const res = await c.post('/admin/sign-in/invite', { t: token, password, password2: again });
  return { c, page, res };
}

async function account(email: string) {
  const { rows } = await db.pool.query<{ role: string; sites: Record<string, string> | null }>(
    `select m.role, (select jsonb_object_agg(site_id, ms.role) from moderator_sites ms where ms.moderator_id = m.id) as sites
       from moderators m where m.email = $1`,
    [email],
  );
  return rows[0] ?? null;
}

beforeAll(async () => {
  db = await createTestDatabase();
  sink = await startSmtpSink();
  api = await startApi({ pool: db.pool, prefix, emailQueue: true });
  noMail = await startApi({ pool: db.pool, prefix: otherPrefix });
  await addSite(db.pool, 'news', [api.origin]);
  await addSite(db.pool, 'blog', [api.origin]);
  await addModerator(db.pool, 'admin@example.org', 'admin');
  worker = await startWorker({ pool: db.pool, prefix, notifications: { smtpUrl: sink.url, publicUrl: api.url } });
  admin = new DashboardClient(api.url);
  await admin.signIn('admin@example.org');
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await noMail?.close();
  await sink?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
  await deleteQueueKeys(otherPrefix);
});

describe('inviting a moderator', () => {
  it('mails a link; its GET changes nothing; a weak password is refused; a strong one creates the account, once', async () => {
    const res = await invite('night@example.org', { sites: ['news', 'blog'], role_blog: 'viewer' });
    expect(res.status).toBe(303);
    expect(decodeURIComponent(res.headers.get('location')!)).toContain('Invite sent to night@example.org');
    const mail = await sink.waitForMail('night@example.org');
    expect(mail.subject).toContain('invited');
    expect(mail.text).toContain('admin invited you to moderate comments on Reply Desk as night@example.org');
    const link = await linkIn(mail);
    expect(await account('night@example.org')).toBeNull(); // no account until the link is used

    const first = new DashboardClient(api.url);
    expect(await first.page(link)).toContain('Choose the password for night@example.org');
    expect(await first.page(link)).toContain('Choose the password'); // a second GET (a mail scanner) spends nothing

    const weak = await accept(link, 'Password2024!');
    expect(weak.res.status).toBe(422);
    expect(await weak.res.text()).toContain('guessers try first');
    const short = await accept(link, 'short');
    expect(short.res.status).toBe(422);
    const mismatch = await accept(link, GOOD, `${GOOD}!`);
    expect(mismatch.res.status).toBe(422);
    expect(await mismatch.res.text()).toContain('not the same');
    expect(await account('night@example.org')).toBeNull();

    const ok = await accept(link, GOOD);
    expect(ok.res.status).toBe(303);
    expect(ok.res.headers.get('location')).toBe('/admin');
    expect((await ok.c.get('/admin')).status).toBe(200); // signed in straight away
    expect(await account('night@example.org')).toEqual({
      role: 'moderator',
      sites: { news: 'moderator', blog: 'viewer' },
    });

    // Single use: the link now tells so, and posting it again creates nothing.
    const again = await accept(link, 'another lantern orchard');
    expect(again.res.status).toBe(410);
    expect(await again.res.text()).toContain('already used');
    expect(again.page).toContain('already used');
    // The chosen password signs in.
    const later = new DashboardClient(api.url);
    await later.signIn('night@example.org', GOOD);
    expect((await later.get('/admin')).status).toBe(200);

    const { rows } = await db.pool.query<{ actor: string; action: string; detail: Record<string, unknown> }>(
      `select actor, action, detail from moderation_events where action in ('account_invite', 'invite_accept') order by id`,
    );
    expect(rows).toEqual([
      {
        actor: 'admin@example.org',
        action: 'account_invite',
        detail: { email: 'night@example.org', role: 'moderator', sites: { news: 'moderator', blog: 'viewer' } },
      },
      {
        actor: 'night@example.org',
        action: 'invite_accept',
        detail: { email: 'night@example.org', role: 'moderator', sites: { news: 'moderator', blog: 'viewer' } },
      },
    ]);
  });

  it('an expired link is refused with a readable page, and creates nothing', async () => {
    expect((await invite('late@example.org')).status).toBe(303);
    const link = await linkIn(await sink.waitForMail('late@example.org'));
    await db.pool.query(`update moderator_invites set expires_at = now() - interval '1 second' where email = $1`, [
      'late@example.org',
    ]);
    const c = new DashboardClient(api.url);
    const page = await c.get(link);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('expired');
    expect((await accept(link, GOOD)).res.status).toBe(410);
    expect(await account('late@example.org')).toBeNull();
  });

  it('a new invite to the same address replaces the older link', async () => {
    expect((await invite('twice@example.org')).status).toBe(303);
    const older = await linkIn(await sink.waitForMail('twice@example.org'));
    expect((await invite('twice@example.org', { role_news: 'viewer' })).status).toBe(303);
    const newer = await linkIn(await sink.waitForMail('twice@example.org', { count: 2 }));
    expect((await accept(older, GOOD)).res.status).toBe(410);
    expect((await accept(newer, GOOD)).res.status).toBe(303);
    expect(await account('twice@example.org')).toEqual({ role: 'moderator', sites: { news: 'viewer' } });
  });

  it('lists open invites on the Moderators page; taking one back ends its link, audited', async () => {
    expect((await invite('maybe@example.org', { role_news: 'viewer' })).status).toBe(303);
    const link = await linkIn(await sink.waitForMail('maybe@example.org'));
    const page = await admin.page('/admin/moderators');
    const row = /<tr>\s*<td>maybe@example\.org<\/td>[\s\S]*?<\/tr>/.exec(page)?.[0];
    expect(row).toContain('news (viewer)');
    expect(row).toContain('admin@example.org');
    expect(page).not.toMatch(/<td>night@example\.org<\/td>\s*<td>news/); // used invites are not open
    const id = /\/admin\/moderators\/invites\/(\d+)\/revoke/.exec(row!)![1]!;
    expect((await admin.post(`/admin/moderators/invites/${id}/revoke`, {})).status).toBe(303);
    expect(await admin.page('/admin/moderators')).not.toContain('<td>maybe@example.org</td>');
    expect((await accept(link, GOOD)).res.status).toBe(410);
    expect(await account('maybe@example.org')).toBeNull();
    const { rows } = await db.pool.query<{ actor: string }>(
      `select actor from moderation_events where action = 'invite_revoke' and detail ->> 'email' = 'maybe@example.org'`,
    );
    expect(rows).toEqual([{ actor: 'admin@example.org' }]);
    // Taking it back twice changes nothing more.
    expect(
      decodeURIComponent((await admin.post(`/admin/moderators/invites/${id}/revoke`, {})).headers.get('location')!),
    ).toContain('no longer open');
  });

  it('refuses an address that has an account, a made-up link, and invites without mail set up', async () => {
    const exists = await invite('admin@example.org');
    expect(exists.status).toBe(422);
    expect(await exists.text()).toContain('already has an account');
    const made = await new DashboardClient(api.url).get(`/admin/sign-in/invite?t=${'x'.repeat(43)}`);
    expect(made.status).toBe(410);
    expect(await made.text()).toContain('not valid');
    // Only admins invite.
    await addModerator(db.pool, 'mod@example.org', 'moderator', ['news']);
    const mod = new DashboardClient(api.url);
    await mod.signIn('mod@example.org');
    expect((await mod.get('/admin/moderators/invite', { accept: 'application/json' })).status).toBe(403);
    // An API without mail says so and invites nobody.
    const other = new DashboardClient(noMail.url);
    await other.signIn('admin@example.org');
    expect(await other.page('/admin/moderators/invite')).toContain('Mail is not set up');
    const refused = await other.post('/admin/moderators/invite', {
      email: 'nomail@example.org',
      displayName: 'No Mail',
      role: 'moderator',
      sites: 'news',
    });
    expect(refused.status).toBe(503);
    const { rowCount } = await db.pool.query(`select 1 from moderator_invites where email = 'nomail@example.org'`);
    expect(rowCount).toBe(0);
  });
});
