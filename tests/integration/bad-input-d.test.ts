import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { banAuthor, toBanValue } from '../../src/store/author-rules.js';
import { addSite, deleteQueueKeys, newQueuePrefix, postJson, startApi, startWorker, waitForStored, type TestApi } from '../support/harness.js';
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
  return { site, page: 'p1', author: 'Ann', email: `ann${n}@example.org`, body: `Comment number ${n}, ${randomUUID()}`, ...over };
}
async function stored(res: Response): Promise<{ id: string; status: string; codes: string[]; ip: string | null }> {
  expect(res.status, await res.clone().text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  const row = await waitForStored(db.pool, id);
  const { rows } = await db.pool.query<{ ip: string | null }>('select host(ip) as ip from comments where id = $1', [id]);
  return { id, status: row.status, codes: row.verdict.reasons.map((r) => r.code), ip: rows[0]!.ip };
}

describe('IPv4-mapped IPv6 addresses and IP bans', () => {
  beforeAll(async () => {
    await banAuthor(db.pool, { siteId: 'banning', kind: 'ip', value: toBanValue('ip', '203.0.113.0/24')!, reason: 'range', rejectPending: false, actor });
    await banAuthor(db.pool, { siteId: 'banning', kind: 'ip', value: toBanValue('ip', '198.51.100.7')!, reason: 'one', rejectPending: false, actor });
    // A ban typed in the mapped form covers the IPv4 reader it names.
    await banAuthor(db.pool, { siteId: 'banning', kind: 'ip', value: toBanValue('ip', '::ffff:192.0.2.44')!, reason: 'mapped', rejectPending: false, actor });
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
