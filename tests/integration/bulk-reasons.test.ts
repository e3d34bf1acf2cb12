import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkView } from '../../src/http/desk/moderator/bulk-page.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  startApi,
  startWorker,
  waitFor,
  type TestApi,
} from '../support/harness.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { insertHeldComments } from '../support/held-comments.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * A bulk reject or spam with a reason for the commenters (issue 16 gave only single decisions one):
 * every changed comment gets its decision, in its own site's words, and the statement of reasons mail,
 * over HTTP with a real session, Postgres, Redis, the bulk and mail workers and a local SMTP sink.
 */
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
let smtp: SmtpSink;
let admin: DashboardClient;
const prefix = newQueuePrefix();

const blogReasons = [
  { code: 'abusive', label: 'Rude to others', rule: 'Blog rule 1: be kind.' },
  { code: 'selling', label: 'Selling things', rule: 'Blog rule 2: no shops.' },
];

async function startBulk(fields: Record<string, string | string[]>): Promise<Response> {
  return admin.post('/admin/bulk', fields, { json: true });
}

async function finished(res: Response): Promise<BulkView> {
  const text = await res.text();
  expect(res.status, text).toBe(202);
  const { jobId } = JSON.parse(text) as { jobId: string };
  return waitFor(`bulk job ${jobId}`, async () => {
    const v = (await (await admin.get(`/admin/bulk/${jobId}`, { accept: 'application/json' })).json()) as BulkView;
    return v.state === 'completed' || v.state === 'failed' ? v : undefined;
  });
}

async function decisionsOf(ids: string[]) {
  const { rows } = await db.pool.query<{ comment_id: string; reason_label: string; note: string; batch_id: string }>(
    'select comment_id, reason_label, note, batch_id from comment_decisions where comment_id = any($1::uuid[]) order by comment_id',
    [ids],
  );
  return rows;
}

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startSmtpSink();
  api = await startApi({ pool: db.pool, prefix });
  worker = await startWorker({ pool: db.pool, prefix, notifications: { smtpUrl: smtp.url, publicUrl: api.url } });
  await addSite(db.pool, 'news', [api.origin]);
  await addSite(db.pool, 'blog', [api.origin], { decisionReasons: blogReasons });
  await api.sites.refresh();
  await addModerator(db.pool, 'admin@example.org', 'admin');
  admin = new DashboardClient(api.url);
  await admin.signIn('admin@example.org');
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await smtp?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('bulk reject with a reason', () => {
  it("records each comment's decision in its site's words and mails every commenter the statement", async () => {
    const news = await insertHeldComments(db.pool, 'news', 'wave', 2);
    const blog = await insertHeldComments(db.pool, 'blog', 'wave', 1);
    const view = await finished(
      await startBulk({
        action: 'reject',
        scope: 'selection',
        ids: [...news, ...blog],
        reason: 'abusive',
        note: 'Insults are not an argument.',
      }),
    );
    expect(view).toMatchObject({ state: 'completed', changed: 3 });
    const decisions = await decisionsOf([...news, ...blog]);
    expect(decisions).toHaveLength(3);
    expect(new Set(decisions.map((d) => d.batch_id))).toEqual(new Set([view.batchId]));
    const labelOf = (id: string) => decisions.find((d) => d.comment_id === id)?.reason_label;
    expect(news.map(labelOf)).toEqual(['Abusive or hateful', 'Abusive or hateful']);
    expect(labelOf(blog[0]!)).toBe('Rude to others');

    const status = (await (await fetch(`${api.url}/api/comments/${blog[0]}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({
      status: 'rejected',
      decision: { reason: 'abusive', label: 'Rude to others', rule: 'Blog rule 1: be kind.' },
    });
    // insertHeldComments names its authors reader1@…, reader2@…: both news commenters get a mail.
    const mail = await smtp.waitForMail('reader2@example.org');
    expect(mail.text).toContain('Why: Abusive or hateful');
    expect(mail.text).toContain('Insults are not an argument.');
    const { rows } = await db.pool.query<{ detail: Record<string, unknown> }>(
      `select detail from moderation_events where batch_id = $1 and action = 'reject' and comment_id = $2`,
      [view.batchId, news[0]],
    );
    expect(rows[0]?.detail).toMatchObject({ bulk: true, reason: 'abusive', note: 'Insults are not an argument.' });
  });

  it('refuses (422) a reason one of the sites in scope does not have, and changes nothing', async () => {
    const news = await insertHeldComments(db.pool, 'news', 'shop', 1);
    const blog = await insertHeldComments(db.pool, 'blog', 'shop', 1);
    const res = await startBulk({ action: 'spam', scope: 'selection', ids: [...news, ...blog], reason: 'selling' });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; message: string; field: string } };
    expect(body.error).toMatchObject({ code: 'UNKNOWN_DECISION_REASON', field: 'reason' });
    expect(body.error.message).toContain('Site news');
    // The whole view of all sites: the same; one site's view: its own list is enough.
    expect(
      (await startBulk({ action: 'spam', scope: 'filter', filter_tab: 'pending', reason: 'selling' })).status,
    ).toBe(422);
    const { rows } = await db.pool.query('select status from comments where id = any($1::uuid[])', [
      [...news, ...blog],
    ]);
    expect(rows.map((r) => r.status)).toEqual(['pending', 'pending']);

    const view = await finished(
      await startBulk({
        action: 'spam',
        scope: 'filter',
        filter_tab: 'pending',
        filter_site: 'blog',
        filter_page: 'shop',
        reason: 'selling',
      }),
    );
    expect(view).toMatchObject({ state: 'completed', changed: 1 });
    expect((await decisionsOf(blog)).map((d) => d.reason_label)).toEqual(['Selling things']);
    expect(await decisionsOf(news)).toEqual([]);
  });

  it('a note without a reason is refused; an approve ignores the reason, as on a card', async () => {
    const ids = await insertHeldComments(db.pool, 'news', 'fine', 2);
    const noReason = await startBulk({ action: 'reject', scope: 'selection', ids, note: 'Why?' });
    expect(noReason.status).toBe(422);
    expect(((await noReason.json()) as { error: { code: string } }).error.code).toBe('UNKNOWN_DECISION_REASON');
    const view = await finished(await startBulk({ action: 'approve', scope: 'selection', ids, reason: 'abusive' }));
    expect(view).toMatchObject({ state: 'completed', changed: 2 });
    expect(await decisionsOf(ids)).toEqual([]);
  });

  it("the queue's bulk form offers the reasons every site in the view shares", async () => {
    const all = await (await admin.get('/admin?tab=pending')).text();
    const bulkForm = all.slice(all.indexOf('id="rd-bulk"'), all.indexOf('id="rd-cards"'));
    expect(bulkForm).toContain('value="abusive"');
    expect(bulkForm).not.toContain('value="selling"');
    expect(bulkForm).not.toContain('value="off_topic"');
    const blogOnly = await (await admin.get('/admin?tab=pending&site=blog')).text();
    const blogForm = blogOnly.slice(blogOnly.indexOf('id="rd-bulk"'), blogOnly.indexOf('id="rd-cards"'));
    expect(blogForm).toContain('value="selling"');
  });
});
