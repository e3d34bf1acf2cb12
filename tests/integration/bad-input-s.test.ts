import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';

// Hostile values for what issue 13 (brief S) added: the rd_tz cookie the audit log reads. A cookie is
// whatever the client sends: never a 500, never echoed unescaped; anything not a zone means UTC.
let pipeline: TestPipeline;
let c: DashboardClient;

beforeAll(async () => {
  pipeline = await startPipeline();
  await addModerator(pipeline.db.pool, 'root@example.org', 'admin');
  c = new DashboardClient(pipeline.api.url);
  await c.signIn('root@example.org');
});

afterAll(async () => {
  await pipeline?.close();
});

describe('the rd_tz cookie', () => {
  it.each([
    ['not a zone', 'Mars%2FOlympus'],
    ['markup', '%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
    ['a broken escape', '%E0%A4%A'],
    ['very long', 'Europe%2F'.repeat(500)],
    ['empty', ''],
    ['twice, the first one bad', 'Nowhere; rd_tz=Europe%2FBerlin'],
  ])('%s: the audit log answers 200 in UTC', async (_name, value) => {
    const res = await c.get('/admin/audit', { cookie: `${c.cookie}; rd_tz=${value}` });
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(page).toContain('<th>When (UTC)</th>');
    expect(page).not.toContain('<script>alert');
  });
});
