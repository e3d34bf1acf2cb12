import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOidcCommand } from '../../src/cli/oidc-commands.js';
import { UsageError } from '../../src/cli/site-commands.js';
import { addSite } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// `reply-desk site oidc add|remove|list`: against a real database; secrets are never printed.
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await addSite(db.pool, 'news', ['https://news.example']);
});

afterAll(async () => {
  await db?.drop();
});

async function run(args: string[], typed = 'not asked'): Promise<string[]> {
  const out: string[] = [];
  await runOidcCommand(
    db.pool,
    args,
    (l) => out.push(l),
    () => Promise.resolve(typed),
  );
  return out;
}

describe('site oidc commands', () => {
  it('adds, changes, lists and removes a provider without ever printing its secret', async () => {
    const secret = 'cli-secret-0123456789abcdef';
    const added = await run([
      'add',
      'news',
      '--provider',
      'kc',
      '--name',
      'Keycloak',
      '--issuer',
      'https://id.example/realms/news/',
      '--client-id',
      'reply-desk',
      '--client-secret',
      secret,
    ]);
    expect(added.join('\n')).toContain('/readers/oidc/callback');
    expect(await run(['list', 'news'])).toEqual([
      'kc\tKeycloak\thttps://id.example/realms/news\treply-desk\tsecret set',
    ]);
    // Changed without --client-secret: the stored one is kept.
    await run([
      'add',
      'news',
      '--provider',
      'kc',
      '--name',
      'KC',
      '--issuer',
      'https://id.example/realms/news',
      '--client-id',
      'rd2',
    ]);
    const row = await db.pool.query(`select name, client_id, client_secret from reader_oidc_providers where id = 'kc'`);
    expect(row.rows[0]).toEqual({ name: 'KC', client_id: 'rd2', client_secret: secret });
    expect((await run(['list', 'news'])).join('\n')).not.toContain(secret);
    expect(await run(['remove', 'news', '--provider', 'kc'])).toEqual(['removed provider kc of news']);
    expect(await run(['list', 'news'])).toEqual([]);
    const audit = await db.pool.query<{ actor: string; action: string; detail: Record<string, unknown> }>(
      `select actor, action, detail from moderation_events
        where site_id = 'news' and action in ('oidc_provider_set', 'oidc_provider_remove') order by id`,
    );
    expect(
      audit.rows.map((r) => [r.actor, r.action, r.detail.clientId ?? null, r.detail.secretChanged ?? null]),
    ).toEqual([
      ['cli', 'oidc_provider_set', 'reply-desk', true],
      ['cli', 'oidc_provider_set', 'rd2', false],
      ['cli', 'oidc_provider_remove', null, null],
    ]);
    expect(JSON.stringify(audit.rows)).not.toContain(secret);
  });

  it('--client-secret - takes the secret from the prompt (or stdin), not from the command line', async () => {
    await run(
      [
        'add',
        'news',
        '--provider',
        'typed',
        '--name',
        'T',
        '--issuer',
        'https://id.example',
        '--client-id',
        'c',
        '--client-secret',
        '-',
      ],
      'typed-secret-0123456789',
    );
    const row = await db.pool.query(`select client_secret from reader_oidc_providers where id = 'typed'`);
    expect(row.rows[0]).toEqual({ client_secret: 'typed-secret-0123456789' });
  });

  it('refuses bad input as a usage error', async () => {
    await expect(run(['add', 'nope', '--provider', 'a'])).rejects.toThrow(UsageError);
    await expect(run(['add', 'news', '--provider', 'Bad!'])).rejects.toThrow(/--provider/);
    await expect(
      run(['add', 'news', '--provider', 'x', '--name', 'X', '--issuer', 'http://id.example', '--client-id', 'c']),
    ).rejects.toThrow(/--issuer/);
    await expect(run(['remove', 'news', '--provider', 'absent'])).rejects.toThrow(/no provider/);
  });
});
