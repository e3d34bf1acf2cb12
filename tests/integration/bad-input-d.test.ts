import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSiteCommand } from '../../src/cli/site-commands.js';
import { ensureDemoSite } from '../../src/demo-site.js';
import { DEMO_SITE_ID } from '../../src/http/demo/demo-page.js';
import { banAuthor, toBanValue } from '../../src/store/author-rules.js';
import { loadSite } from '../../src/store/sites.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  startApi,
  startWorker,
  waitForStored,
  type TestApi,
} from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Hostile inputs of issue 11, brief D: addresses in the IPv4-mapped IPv6 form that slipped past IPv4
// bans, and form tokens left out or sent twice.
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
const prefix = newQueuePrefix();
const quiet = { holdFirstTime: false, floodSeconds: 0, holdLinks: 0 };
const actor = { id: null, label: 'cli', siteIds: [] };

beforeAll(async () => {
  db = await createTestDatabase();
  // X-Forwarded-For from loopback is believed: each post names its reader's address.
  api = await startApi({ pool: db.pool, prefix, trustProxy: 'loopback', formTokenSecret: 'bad-input-d-secret' });
  await addSite(db.pool, 'banning', [api.origin], quiet);
  await addSite(db.pool, 'required', [api.origin], { ...quiet, formMinSeconds: 0, requireFormToken: true });
  // A site stored before the setting existed: its settings have no requireFormToken at all.
  await addSite(db.pool, 'legacy', [api.origin], { ...quiet, formMinSeconds: 0 });
  await db.pool.query(`update sites set settings = settings - 'requireFormToken' where id = 'legacy'`);
  worker = await startWorker({ pool: db.pool, prefix });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await deleteQueueKeys(prefix);
  await db?.drop();
});

let n = 0;
function comment(site: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  n += 1;
  return {
    site,
    page: 'p1',
    author: 'Ann',
    email: `ann${n}@example.org`,
    body: `Comment number ${n}, ${randomUUID()}`,
    ...over,
  };
}
async function stored(res: Response): Promise<{ id: string; status: string; codes: string[]; ip: string | null }> {
  expect(res.status, await res.clone().text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  const row = await waitForStored(db.pool, id);
  const { rows } = await db.pool.query<{ ip: string | null }>('select host(ip) as ip from comments where id = $1', [
    id,
  ]);
  return { id, status: row.status, codes: row.verdict.reasons.map((r) => r.code), ip: rows[0]!.ip };
}

describe('IPv4-mapped IPv6 addresses and IP bans', () => {
  beforeAll(async () => {
    await banAuthor(db.pool, {
      siteId: 'banning',
      kind: 'ip',
      value: toBanValue('ip', '203.0.113.0/24')!,
      reason: 'range',
      rejectPending: false,
      actor,
    });
    await banAuthor(db.pool, {
      siteId: 'banning',
      kind: 'ip',
      value: toBanValue('ip', '198.51.100.7')!,
      reason: 'one',
      rejectPending: false,
      actor,
    });
    // A ban typed in the mapped form covers the IPv4 reader it names.
    await banAuthor(db.pool, {
      siteId: 'banning',
      kind: 'ip',
      value: toBanValue('ip', '::ffff:192.0.2.44')!,
      reason: 'mapped',
      rejectPending: false,
      actor,
    });
  });

  it.each([
    ['::ffff:203.0.113.9', '203.0.113.9', 'a /24 range'],
    ['::FFFF:198.51.100.7', '198.51.100.7', 'a single IPv4 ban'],
    ['0:0:0:0:0:ffff:cb00:710a', '203.0.113.10', 'a range, the mapped address in hex'],
    ['192.0.2.44', '192.0.2.44', 'a ban entered as ::ffff:192.0.2.44'],
  ])('a reader at %s (stored as %s) is caught by %s', async (forwarded, canonical) => {
    const r = await stored(await postJson(api, comment('banning'), { 'x-forwarded-for': forwarded }));
    expect(r.status).toBe('spam');
    expect(r.codes).toContain('BANNED');
    expect(r.ip).toBe(canonical);
  });

  it('an address outside every ban still posts', async () => {
    const r = await stored(await postJson(api, comment('banning'), { 'x-forwarded-for': '::ffff:198.51.100.8' }));
    expect(r.status).toBe('approved');
    expect(r.ip).toBe('198.51.100.8');
  });
});

async function tokenFor(site: string, page = 'p1'): Promise<string> {
  const res = await fetch(`${api.url}/api/sites/${site}/public?page=${page}`);
  return ((await res.json()) as { formToken: string }).formToken;
}
const reader = (i: number): Record<string, string> => ({ 'x-forwarded-for': `192.0.2.${i}` });

describe('form tokens left out', () => {
  it('a site that requires a token holds a comment sent without one, as it holds one sent too fast', async () => {
    for (const formToken of [undefined, '', null]) {
      const r = await stored(
        await postJson(api, comment('required', formToken === undefined ? {} : { formToken }), reader(1)),
      );
      expect(r.status).toBe('pending');
      expect(r.codes).toEqual(['FORM_TOKEN_MISSING']);
    }
    const withToken = await stored(
      await postJson(api, comment('required', { formToken: await tokenFor('required') }), reader(2)),
    );
    expect(withToken.status).toBe('approved');
  });

  it('a site stored before the setting existed keeps taking comments without a token', async () => {
    const r = await stored(await postJson(api, comment('legacy'), reader(3)));
    expect(r.status).toBe('approved');
  });

  it('new sites require a token: the demo site and `reply-desk site add` (unless --settings says otherwise)', async () => {
    await ensureDemoSite(db.pool, api.url, 3000);
    expect((await loadSite(db.pool, DEMO_SITE_ID))?.settings.requireFormToken).toBe(true);
    await runSiteCommand(db.pool, ['add', 'from-cli', '--name', 'CLI'], () => {});
    expect((await loadSite(db.pool, 'from-cli'))?.settings.requireFormToken).toBe(true);
    await runSiteCommand(db.pool, ['add', 'api-only', '--settings', '{"requireFormToken":false}'], () => {});
    expect((await loadSite(db.pool, 'api-only'))?.settings.requireFormToken).toBe(false);
    expect((await loadSite(db.pool, 'legacy'))?.settings.requireFormToken).toBe(false);
  });
});

describe('form tokens sent twice', () => {
  it('a token is good for one comment: a second comment with it is held FORM_TOKEN_REPLAYED', async () => {
    const token = await tokenFor('legacy');
    const first = await stored(await postJson(api, comment('legacy', { formToken: token }), reader(10)));
    expect(first.status).toBe('approved');
    const replayed = await stored(await postJson(api, comment('legacy', { formToken: token }), reader(11)));
    expect(replayed.status).toBe('pending');
    expect(replayed.codes).toEqual(['FORM_TOKEN_REPLAYED']);
  });

  it('a retry of the same comment (same idempotency key) is not a replay', async () => {
    const token = await tokenFor('legacy');
    const body = comment('legacy', { formToken: token, key: randomUUID() });
    const a = await postJson(api, body, reader(12));
    const b = await postJson(api, body, reader(12));
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    const id = ((await a.json()) as { id: string }).id;
    expect(((await b.json()) as { id: string }).id).toBe(id);
    expect((await waitForStored(db.pool, id)).status).toBe('approved');
  });

  it('ten comments sent at once with one token: exactly one is published, the other nine are held', async () => {
    const token = await tokenFor('legacy');
    const rows = await Promise.all(
      Array.from({ length: 10 }, async (_, i) =>
        stored(await postJson(api, comment('legacy', { formToken: token }), reader(20 + i))),
      ),
    );
    expect(rows.filter((r) => r.status === 'approved')).toHaveLength(1);
    expect(rows.filter((r) => r.codes.includes('FORM_TOKEN_REPLAYED'))).toHaveLength(9);
  });

  it("the 202 brings the form's next token, and it works once", async () => {
    const res = await postJson(api, comment('legacy', { formToken: await tokenFor('legacy') }), reader(40));
    const { formToken: next } = (await res.clone().json()) as { formToken: string };
    await stored(res);
    expect((await stored(await postJson(api, comment('legacy', { formToken: next }), reader(41)))).status).toBe(
      'approved',
    );
    expect((await stored(await postJson(api, comment('legacy', { formToken: next }), reader(42)))).codes).toEqual([
      'FORM_TOKEN_REPLAYED',
    ]);
  });

  it('the record of a used token expires with the token, and holds no token', async () => {
    const token = await tokenFor('legacy');
    await stored(await postJson(api, comment('legacy', { formToken: token }), reader(50)));
    const keys = await api.redis.keys(`${prefix}:form-token:used:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k).not.toContain(token.split('.')[0]);
    const ttl = await api.redis.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(23 * 3600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000);
  });
});
