import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { runModeratorCommand } from '../../src/cli/moderator-commands.js';
import { loadMailKey, signMailToken } from '../../src/mail/mail-tokens.js';
import { addModerator, DashboardClient, TEST_PASSWORD } from '../support/dashboard-client.js';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Issue 13, item 6: accounts without SQL. Disabling, removing or changing an account's role ends its
// sessions at once and stops its mail links; the last enabled admin cannot be lost; every change is
// in the audit log; a moderator changes their own password with the current one.
let db: TestDatabase;
let api: TestApi;
let prefix: string;
let adminId: number;

beforeAll(async () => {
  prefix = newQueuePrefix();
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'news', [api.origin]);
  await addSite(db.pool, 'blog', [api.origin]);
  adminId = await addModerator(db.pool, 'admin@example.org', 'admin');
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  if (prefix) await deleteQueueKeys(prefix);
});

async function signedIn(email: string, password = TEST_PASSWORD): Promise<DashboardClient> {
  const c = new DashboardClient(api.url);
  await c.signIn(email, password);
  return c;
}

/** Whether this session is still signed in: the queue answers 200, or redirects to sign in. */
async function stillSignedIn(c: DashboardClient): Promise<boolean> {
  const res = await c.get('/admin');
  await res.text();
  return res.status === 200;
}

async function auditActions(email: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ action: string }>(
    `select action from moderation_events where detail->>'email' = $1 order by id`,
    [email],
  );
  return rows.map((r) => r.action);
}

/** A moderation mail link of this account, for a comment that does not exist: 404 while allowed, 403 once not. */
async function mailLinkStatus(moderatorId: number): Promise<number> {
  const key = await loadMailKey(db.pool);
  const token = signMailToken(key, {
    kind: 'moderate',
    commentId: randomUUID(),
    action: 'approve',
    moderatorId,
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    nonce: randomUUID(),
  });
  const res = await fetch(`${api.url}/mail/moderate?token=${encodeURIComponent(token)}`);
  await res.text();
  return res.status;
}

describe('the Moderators page (admins)', () => {
  it('lists every account; a moderator is refused it (403)', async () => {
    await addModerator(db.pool, 'list-me@example.org', 'moderator', ['news']);
    const admin = await signedIn('admin@example.org');
    const page = await admin.page('/admin/moderators');
    expect(page).toContain('list-me@example.org');
    expect(page).toContain('admin@example.org');
    expect(page).toContain('aria-current="page">Moderators');
    const mod = await signedIn('list-me@example.org');
    expect((await mod.get('/admin/moderators')).status).toBe(403);
    expect((await mod.get('/admin/moderators/1')).status).toBe(403);
  });

  it("disabling ends the account's sessions at once, stops its mail links and sign-in; enabling lets it back", async () => {
    const id = await addModerator(db.pool, 'dis@example.org', 'moderator', ['news']);
    const mod = await signedIn('dis@example.org');
    expect(await mailLinkStatus(id)).toBe(404);
    const admin = await signedIn('admin@example.org');
    await admin.page(`/admin/moderators/${id}`);
    const res = await admin.post(`/admin/moderators/${id}/disable`, {});
    expect(res.status).toBe(303);
    expect(await stillSignedIn(mod)).toBe(false);
    expect(await mailLinkStatus(id)).toBe(403);
    await expect(signedIn('dis@example.org')).rejects.toThrow(/sign-in failed/);
    expect(await admin.page(`/admin/moderators/${id}`)).toContain('(disabled)');
    await admin.post(`/admin/moderators/${id}/enable`, {});
    expect(await stillSignedIn(await signedIn('dis@example.org'))).toBe(true);
    expect(await mailLinkStatus(id)).toBe(404);
    expect(await auditActions('dis@example.org')).toEqual(['account_disable', 'account_enable']);
  });

  it('a role change ends the sessions; sites are replaced; both are audited with before and after', async () => {
    const id = await addModerator(db.pool, 'role@example.org', 'moderator', ['news']);
    const mod = await signedIn('role@example.org');
    const admin = await signedIn('admin@example.org');
    await admin.page(`/admin/moderators/${id}`);
    // Sites alone: the session goes on (it reads its sites on every request).
    expect(
      (await admin.post(`/admin/moderators/${id}`, { role: 'moderator', displayName: 'Role', sites: ['blog'] })).status,
    ).toBe(303);
    expect(await stillSignedIn(mod)).toBe(true);
    expect((await db.pool.query(`select site_id from moderator_sites where moderator_id = $1`, [id])).rows).toEqual([
      { site_id: 'blog' },
    ]);
    expect((await admin.post(`/admin/moderators/${id}`, { role: 'admin', displayName: 'Role' })).status).toBe(303);
    expect(await stillSignedIn(mod)).toBe(false);
    const { rows } = await db.pool.query(
      `select actor, action, detail from moderation_events where detail->>'email' = 'role@example.org' order by id`,
    );
    expect(rows).toEqual([
      {
        actor: 'admin@example.org',
        action: 'account_update',
        detail: {
          email: 'role@example.org',
          name: { from: 'role', to: 'Role' },
          sites: { from: ['news'], to: ['blog'] },
        },
      },
      {
        actor: 'admin@example.org',
        action: 'account_update',
        detail: { email: 'role@example.org', role: { from: 'moderator', to: 'admin' } },
      },
    ]);
    // Back to moderator, so this admin is not the one that keeps the next test's admin from being the last.
    await admin.post(`/admin/moderators/${id}`, { role: 'moderator', displayName: 'Role' });
  });

  it('an admin resets a password: the old one and its sessions stop, the new one signs in', async () => {
    const id = await addModerator(db.pool, 'reset@example.org', 'moderator', ['news']);
    const mod = await signedIn('reset@example.org');
    const admin = await signedIn('admin@example.org');
    await admin.page(`/admin/moderators/${id}`);
    const short = await admin.post(`/admin/moderators/${id}/password`, { password: 'short' });
    expect(short.status).toBe(422);
    expect(await short.text()).toContain('at least 10 characters');
    expect((await admin.post(`/admin/moderators/${id}/password`, { password: 'a brand new secret' })).status).toBe(303);
    expect(await stillSignedIn(mod)).toBe(false);
    await expect(signedIn('reset@example.org')).rejects.toThrow(/sign-in failed/);
    expect(await stillSignedIn(await signedIn('reset@example.org', 'a brand new secret'))).toBe(true);
    expect(await auditActions('reset@example.org')).toEqual(['password_reset']);
  });

  it('removing needs the email typed; the removed account is signed out and its mail links stop', async () => {
    const id = await addModerator(db.pool, 'gone@example.org', 'moderator', ['news']);
    const mod = await signedIn('gone@example.org');
    const admin = await signedIn('admin@example.org');
    await admin.page(`/admin/moderators/${id}`);
    expect((await admin.post(`/admin/moderators/${id}/remove`, { confirm: 'someone' })).status).toBe(422);
    expect(await stillSignedIn(mod)).toBe(true);
    const res = await admin.post(`/admin/moderators/${id}/remove`, { confirm: 'gone@example.org' });
    expect(res.status).toBe(303);
    expect(await stillSignedIn(mod)).toBe(false);
    expect(await mailLinkStatus(id)).toBe(403);
    expect((await db.pool.query(`select 1 from moderators where id = $1`, [id])).rowCount).toBe(0);
    expect(await auditActions('gone@example.org')).toEqual(['account_remove']);
  });

  it('the last enabled admin cannot be disabled, removed or demoted (a clear 422), and stays signed in', async () => {
    const admin = await signedIn('admin@example.org');
    await admin.page(`/admin/moderators/${adminId}`);
    for (const [path, fields] of [
      ['disable', {}],
      ['remove', { confirm: 'admin@example.org' }],
      ['', { role: 'moderator', displayName: 'admin' }],
    ] as const) {
      const res = await admin.post(`/admin/moderators/${adminId}${path ? `/${path}` : ''}`, fields);
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('last enabled admin');
    }
    expect(await stillSignedIn(admin)).toBe(true);
    expect((await db.pool.query(`select role, disabled from moderators where id = $1`, [adminId])).rows).toEqual([
      { role: 'admin', disabled: false },
    ]);
  });
});

describe('My settings: my own password', () => {
  it('needs the current password; a change keeps this session and ends the others', async () => {
    await addModerator(db.pool, 'self@example.org', 'moderator', ['news']);
    const here = await signedIn('self@example.org');
    const elsewhere = await signedIn('self@example.org');
    const page = await here.page('/admin/me');
    expect(page).toContain('Change my password');
    const wrong = await here.post('/admin/me/password', { current: 'not it at all', password: 'my new password' });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('not your current password');
    const ok = await here.post('/admin/me/password', { current: TEST_PASSWORD, password: 'my new password' });
    expect(ok.status).toBe(303);
    expect(await stillSignedIn(here)).toBe(true);
    expect(await stillSignedIn(elsewhere)).toBe(false);
    expect(await stillSignedIn(await signedIn('self@example.org', 'my new password'))).toBe(true);
    expect(await auditActions('self@example.org')).toEqual(['password_change']);
  });
});

describe('reply-desk moderator disable|enable|update|remove', () => {
  const run = async (args: string[], password = 'a cli password'): Promise<string[]> => {
    const lines: string[] = [];
    await runModeratorCommand(
      db.pool,
      args,
      (l) => lines.push(l),
      async () => password,
    );
    return lines;
  };

  it('changes accounts as the dashboard does, audited as cli, and keeps the last admin', async () => {
    await addModerator(db.pool, 'cli@example.org', 'moderator', ['news']);
    const mod = await signedIn('cli@example.org');
    expect(await run(['disable', 'cli@example.org'])).toEqual([expect.stringContaining('disabled cli@example.org')]);
    expect(await stillSignedIn(mod)).toBe(false);
    await run(['enable', 'cli@example.org']);
    expect(await run(['update', 'cli@example.org', '--site', 'news,blog', '--name', 'C L I'])).toEqual([
      'updated cli@example.org: moderator blog,news',
    ]);
    await run(['update', 'cli@example.org', '--password']);
    expect(await stillSignedIn(await signedIn('cli@example.org', 'a cli password'))).toBe(true);
    await expect(run(['remove', 'cli@example.org'])).rejects.toThrow(/--yes/);
    await run(['remove', 'cli@example.org', '--yes']);
    expect(await auditActions('cli@example.org')).toEqual([
      'account_disable',
      'account_enable',
      'account_update',
      'password_reset',
      'account_remove',
    ]);
    const { rows } = await db.pool.query(
      `select distinct actor from moderation_events where detail->>'email' = 'cli@example.org'`,
    );
    expect(rows).toEqual([{ actor: 'cli' }]);
    await expect(run(['disable', 'admin@example.org'])).rejects.toThrow(/last enabled admin/);
    await expect(run(['update', 'admin@example.org', '--role', 'moderator'])).rejects.toThrow(/last enabled admin/);
    await expect(run(['disable', 'nobody@example.org'])).rejects.toThrow(/no account/);
  });
});
