import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listActivePageSurges } from '../../src/flood/page-surge-tracker.js';
import { saveNotifyHeld } from '../../src/store/mail-notices.js';
import { insertChatTarget } from '../../src/store/notify/chat-targets.js';
import { insertSubscription } from '../../src/store/webhooks.js';
import { newWebhookSecret } from '../../src/webhooks/webhook-signature.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  startApi,
  waitFor,
  waitForStored,
  type TestApi,
} from '../support/harness.js';
import { startHttpReceiver, type HttpReceiver } from '../support/http-receiver.js';
import { startNoticesWorkers } from '../support/notices-workers.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Brigades on one story (issue 16, item 6) end to end: a burst on one page from many first-time
// authors pasting one text from many addresses turns that page (only) to pre-moderation, with the
// desk's banner, a mail to the moderators, a `page.surge` webhook and a chat notice; it ends by itself.
// The windows are shrunk: "the last minute" is 2 s, the cool-down 5 s.
let db: TestDatabase;
let api: TestApi;
let workers: { close(): Promise<void> };
let smtp: SmtpSink;
let receiver: HttpReceiver;
const prefix = newQueuePrefix();
const SITE = 'brigaded';
const MODERATOR = 'night-desk@example.org';

let n = 0;
async function post(page: string, body: string, ip: string): Promise<string> {
  n += 1;
  const res = await postJson(
    api,
    {
      site: SITE,
      page,
      pageUrl: `${api.origin}/${page}`,
      author: `Newcomer ${n}`,
      email: `newcomer-${n}@example.org`,
      body,
    },
    { origin: api.origin, 'x-forwarded-for': ip },
  );
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startSmtpSink();
  receiver = await startHttpReceiver();
  api = await startApi({ pool: db.pool, prefix, trustProxy: 'loopback' });
  // First-time authors are published here (no first-time hold), so only the brigade can hold them.
  await addSite(db.pool, SITE, [api.origin], { holdFirstTime: false, pageSurgeMinimum: 10, pageSurgeScore: 5 });
  const moderatorId = await addModerator(db.pool, MODERATOR, 'moderator', [SITE]);
  await saveNotifyHeld(db.pool, moderatorId, true);
  await insertSubscription(
    db.pool,
    { siteId: SITE, url: `${receiver.url}/hook`, events: ['page.surge'], active: true, description: '' },
    newWebhookSecret(),
  );
  await insertChatTarget(
    db.pool,
    {
      siteId: SITE,
      service: 'slack',
      url: `${receiver.url}/slack`,
      events: ['surge'],
      heldEveryMinutes: 15,
      description: '',
    },
    { id: null, label: 'test' },
  );
  workers = await startNoticesWorkers({
    pool: db.pool,
    prefix,
    publicUrl: api.url,
    smtpUrl: smtp.url,
    windows: { windowMs: 2000, cooldownMs: 5000 },
  });
});

afterAll(async () => {
  await workers?.close();
  await api?.close();
  await receiver?.close();
  await smtp?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('a brigade on one story', () => {
  it('pre-moderates that page only, tells the desk, and ends by itself once the burst dies down', async () => {
    // A quiet start: one ordinary comment on each page, published.
    expect(
      (await waitForStored(db.pool, await post('council-vote', 'A fair summary of the vote.', '203.0.113.1'))).status,
    ).toBe('approved');
    expect(
      (await waitForStored(db.pool, await post('weather', 'Lovely weather for it today.', '203.0.113.2'))).status,
    ).toBe('approved');

    await db.pool.query(`update pages set title = 'Council vote' where identifier = 'council-vote'`);

    // The burst: 30 newcomers from 30 addresses, one pasted text with a number changed.
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        post('council-vote', `Resign now, the council is a disgrace!!! ${i}`, `198.51.100.${i + 10}`),
      ),
    );
    const stored = await Promise.all(burst.map((id) => waitForStored(db.pool, id)));
    const held = stored.filter((c) => c.verdict.reasons.some((r) => r.code === 'PAGE_SURGE'));
    // The early ones went out before the score was reached; from then on, each one waits.
    expect(held.length).toBeGreaterThan(10);
    for (const c of held) expect(c.status).toBe('pending');
    expect(await listActivePageSurges(api.redis, prefix, [SITE])).toHaveLength(1);

    // While it lasts: a new comment on that page is held with a clear reason…
    const during = await waitForStored(
      db.pool,
      await post('council-vote', 'I was at the meeting and it went calmly.', '192.0.2.50'),
    );
    expect(during.status).toBe('pending');
    const reason = (during.verdict.reasons as unknown as { code: string; message: string }[]).find(
      (r) => r.code === 'PAGE_SURGE',
    );
    expect(reason?.message).toMatch(
      /^Brigade on this story \(.*first-time authors.*\): every new comment on this page waits/,
    );
    // …and another page of the same site keeps publishing.
    const elsewhere = await waitForStored(db.pool, await post('weather', 'Rain is forecast for Sunday.', '192.0.2.51'));
    expect(elsewhere.status).toBe('approved');

    // The desk shows the banner, naming the page and linking to its held comments.
    const desk = new DashboardClient(api.url);
    await desk.signIn(MODERATOR);
    const queue = await desk.page('/admin');
    expect(queue).toContain('rd-page-surge');
    expect(queue).toMatch(/Brigade on “Council vote”/);
    expect(queue).toContain('page=council-vote');

    // Moderators hear of it: a mail, a page.surge webhook, a Slack message.
    const mail = await smtp.waitForMail(MODERATOR);
    expect(mail.subject).toBe('Surge on a story of Site brigaded: Council vote');
    expect(mail.text).toContain('Every new comment on that page is held for moderation');
    const hook = await waitFor('the page.surge webhook', () => receiver.bodies('/hook')[0]);
    expect(hook).toMatchObject({
      type: 'page.surge',
      site: SITE,
      data: { page: { identifier: 'council-vote', title: 'Council vote' } },
    });
    expect((hook as { data: { score: number } }).data.score).toBeGreaterThanOrEqual(5);
    const slack = (await waitFor('the Slack notice', () => receiver.bodies('/slack')[0])) as {
      text: string;
      blocks: { type: string; text?: { type: string; text: string } }[];
    };
    expect(slack.text).toBe('Surge on a story: new comments there are held for moderation (Site brigaded)');
    expect(slack.blocks[0]?.text).toMatchObject({ type: 'mrkdwn' });
    expect(slack.blocks[0]?.text?.text).toContain(`<${api.origin}/council-vote|Council vote>`);
    // One brigade, one notice of each kind, and one line in the audit log.
    await sleep(300);
    expect(smtp.mailsTo(MODERATOR)).toHaveLength(1);
    expect(receiver.bodies('/hook')).toHaveLength(1);
    expect(receiver.bodies('/slack')).toHaveLength(1);
    const audit = await db.pool.query(`select actor, detail from moderation_events where action = 'page_surge'`);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].actor).toBe('worker');

    // It ends by itself: the cool-down passes with no burst, and the rate ("the last 2 s") falls.
    await waitFor('the brigade to end', async () =>
      (await listActivePageSurges(api.redis, prefix, [SITE])).length === 0 ? true : undefined,
    );
    await sleep(4000);
    const after = await waitForStored(
      db.pool,
      await post('council-vote', 'Now that it is quiet: the minutes are online.', '192.0.2.52'),
    );
    expect(after.status).toBe('approved');
    expect(await desk.page('/admin')).not.toContain('rd-page-surge');
  }, 60_000);
});
