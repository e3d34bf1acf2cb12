import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModeratorCommand } from '../../src/cli/moderator-commands.js';
import { UsageError } from '../../src/cli/site-commands.js';
import { addSite } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Issue 16, item 3, on the command line: roles per site with `--site ID:ROLE`, and the two-factor
// reset that lets an admin who lost both phone and recovery codes back in.
let db: TestDatabase;

async function run(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  await runModeratorCommand(
    db.pool,
    args,
    (l) => lines.push(l),
    () => Promise.resolve('a long cli passphrase'),
  );
  return lines;
}

async function rolesOf(email: string): Promise<Record<string, string>> {
  const { rows } = await db.pool.query<{ site_id: string; role: string }>(
    `select site_id, ms.role from moderator_sites ms join moderators m on m.id = ms.moderator_id where m.email = $1`,
    [email],
  );
  return Object.fromEntries(rows.map((r) => [r.site_id, r.role]));
}

beforeAll(async () => {
  db = await createTestDatabase();
  await addSite(db.pool, 'news', []);
  await addSite(db.pool, 'blog', []);
});

afterAll(async () => {
  await db?.drop();
});

describe('reply-desk moderator with roles per site', () => {
  it('adds, lists and updates roles per site; a bare site is moderator', async () => {
    await run(['add', 'legal@example.org', '--site', 'news:viewer', '--site', 'blog']);
    expect(await rolesOf('legal@example.org')).toEqual({ news: 'viewer', blog: 'moderator' });
    expect(await run(['list'])).toEqual(['legal@example.org\tlegal\tmoderator\tblog,news:viewer']);
    expect(await run(['update', 'legal@example.org', '--site', 'news:admin,blog:viewer'])).toEqual([
      'updated legal@example.org: moderator blog:viewer,news:admin',
    ]);
    expect(await rolesOf('legal@example.org')).toEqual({ news: 'admin', blog: 'viewer' });
    const { rows } = await db.pool.query<{ actor: string; detail: Record<string, unknown> }>(
      `select actor, detail from moderation_events where action = 'account_update'`,
    );
    expect(rows).toEqual([
      {
        actor: 'cli',
        detail: {
          email: 'legal@example.org',
          roles: { from: { news: 'viewer', blog: 'moderator' }, to: { news: 'admin', blog: 'viewer' } },
        },
      },
    ]);
  });

  it('refuses a weak password as the dashboard does', async () => {
    const weak = (args: string[]) =>
      runModeratorCommand(
        db.pool,
        args,
        () => {},
        () => Promise.resolve('Password2024!'),
      );
    await expect(weak(['add', 'weak@example.org'])).rejects.toThrow(/guessers try first/);
    await expect(weak(['update', 'legal@example.org', '--password'])).rejects.toThrow(/guessers try first/);
  });

  it.each([['news:boss'], ['news:viewer:extra'], [':viewer']])('refuses --site %s', async (site) => {
    await expect(run(['update', 'legal@example.org', '--site', site])).rejects.toThrow(UsageError);
  });

  it("reset-two-factor turns an account's two-factor off, audited as cli", async () => {
    await run(['add', 'boss@example.org', '--role', 'admin']);
    const { rows } = await db.pool.query<{ id: string }>(`select id from moderators where email = 'boss@example.org'`);
    await db.pool.query(
      `insert into moderator_two_factor (moderator_id, secret_sealed, confirmed_at) values ($1, 'v1.x.y.z', now())`,
      [rows[0]!.id],
    );
    expect(await run(['list'])).toContain('boss@example.org\tboss\tadmin\t(all sites)\t2fa');
    expect(await run(['reset-two-factor', 'boss@example.org'])).toEqual([
      'two-factor sign-in of boss@example.org is off; it signs in with its password',
    ]);
    expect((await db.pool.query('select 1 from moderator_two_factor')).rowCount).toBe(0);
    expect(await run(['reset-two-factor', 'boss@example.org'])).toEqual(['boss@example.org had no two-factor']);
    const events = await db.pool.query<{ actor: string; detail: unknown }>(
      `select actor, detail from moderation_events where action = 'two_factor_disable'`,
    );
    expect(events.rows).toEqual([{ actor: 'cli', detail: { email: 'boss@example.org', reset: true } }]);
  });
});
