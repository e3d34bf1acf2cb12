import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChatCommand } from '../../src/cli/chat-commands.js';
import { notifyAppealOpened } from '../../src/notify/appeal-opened.js';
import type { DeskNoticesQueue } from '../../src/queue/desk-notices-queue.js';
import { listChatTargets } from '../../src/store/notify/chat-targets.js';
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
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Notifications where desks live (issue 16, item 7): chat targets configured per site from the API,
// the admin page and the CLI; held comments, a brigade's and an appeal's notices in Slack's, Teams'
// and Mattermost's own incoming-webhook formats, posted to loopback receivers that stand in for those
// services; retried with backoff from the queue when a receiver answers 500 or is down, never posted
// twice once it answered 200; held comments paced per target.
let db: TestDatabase;
let api: TestApi;
let workers: { notices: DeskNoticesQueue; close(): Promise<void> };
let receiver: HttpReceiver;
let down: HttpReceiver;
let desk: DashboardClient;
const prefix = newQueuePrefix();
const SITE = 'newsroom';

let n = 0;
async function heldComment(): Promise<string> {
  n += 1;
  const res = await postJson(
    api,
    {
      site: SITE,
      page: 'budget',
      pageUrl: `${api.origin}/budget`,
      author: `First-timer ${n}`,
      email: `first-${n}@example.org`,
      body: `My first comment here, number ${n}.`,
    },
    { origin: api.origin },
  );
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  expect((await waitForStored(db.pool, id)).status).toBe('pending');
  return id;
}

function api_(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${api.url}${path}`, {
    method,
    headers: {
      cookie: desk.cookie,
      'x-csrf-token': desk.csrf,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  receiver = await startHttpReceiver();
  down = await startHttpReceiver();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, SITE, [api.origin]);
  await addModerator(db.pool, 'editor@example.org', 'admin');
  desk = new DashboardClient(api.url);
  await desk.signIn('editor@example.org');
  workers = await startNoticesWorkers({
    pool: db.pool,
    prefix,
    publicUrl: api.url,
    chatOptions: { attempts: 6, backoff: { type: 'exponential', delay: 300 } },
  });
});

afterAll(async () => {
  await workers?.close();
  await api?.close();
  await receiver?.close();
  await down?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('chat targets', () => {
  it('are configured per site by the API (admins, CSRF), refused with the field at fault, and shown on the site page', async () => {
    const bad = await api_('POST', `/admin/api/sites/${SITE}/chat-targets`, {
      service: 'irc',
      url: `${receiver.url}/x`,
      events: ['held'],
    });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: { code: 'INVALID_CHAT_TARGET', field: 'service' } });
    const noEvents = await api_('POST', `/admin/api/sites/${SITE}/chat-targets`, {
      service: 'slack',
      url: `${receiver.url}/x`,
      events: ['everything'],
    });
    expect(await noEvents.json()).toMatchObject({ error: { code: 'INVALID_CHAT_TARGET', field: 'events' } });

    for (const [service, path, base] of [
      ['slack', '/slack', receiver.url],
      ['teams', '/teams', receiver.url],
      ['mattermost', '/mm', down.url],
    ] as const) {
      const res = await api_('POST', `/admin/api/sites/${SITE}/chat-targets`, {
        service,
        url: `${base}${path}`,
        events: ['held', 'surge', 'appeal'],
        heldEveryMinutes: 1,
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ service, site: SITE, events: ['held', 'surge', 'appeal'] });
    }
    const extra = (await (
      await api_('POST', `/admin/api/sites/${SITE}/chat-targets`, {
        service: 'slack',
        url: `${receiver.url}/gone`,
        events: 'held',
      })
    ).json()) as { id: number };
    expect((await api_('DELETE', `/admin/api/sites/${SITE}/chat-targets/${extra.id}`)).status).toBe(204);
    expect((await api_('DELETE', `/admin/api/sites/${SITE}/chat-targets/${extra.id}`)).status).toBe(404);

    // Odd bodies are 422s with the field, never a 500; an odd id is a 404.
    for (const [odd, field] of [
      [{ service: ['slack'], url: `${receiver.url}/x`, events: 'held' }, 'service'],
      [{ service: 'slack', url: 5, events: 'held' }, 'url'],
      [{ service: 'slack', url: `${receiver.url}/x`, events: { held: true } }, 'events'],
      [{ service: 'slack', url: `${receiver.url}/x`, events: 'held', heldEveryMinutes: '1e3' }, 'heldEveryMinutes'],
      [['slack'], 'service'],
    ] as const) {
      const res = await api_('POST', `/admin/api/sites/${SITE}/chat-targets`, odd);
      expect({ status: res.status, body: await res.json() }).toMatchObject({
        status: 422,
        body: { error: { code: 'INVALID_CHAT_TARGET', field } },
      });
    }
    expect((await api_('DELETE', `/admin/api/sites/${SITE}/chat-targets/abc`)).status).toBe(404);
    expect((await api_('GET', `/admin/api/sites/no-such-site/chat-targets`)).status).toBe(404);

    const listed = (await (await api_('GET', `/admin/api/sites/${SITE}/chat-targets`)).json()) as {
      targets: { service: string }[];
    };
    expect(listed.targets.map((t) => t.service)).toEqual(['slack', 'teams', 'mattermost']);
    const page = await desk.page(`/admin/sites/${SITE}/chat`);
    expect(page).toContain('Chat notifications for');
    expect(page.match(/data-target="/g)).toHaveLength(3);
    const audit = await db.pool.query(`select detail from moderation_events where action = 'chat_target'`);
    expect(audit.rows.map((r: { detail: { op: string } }) => r.detail.op)).toEqual([
      'add',
      'add',
      'add',
      'add',
      'delete',
    ]);
    // The audit log names the target, never its URL (the channel's key).
    expect(JSON.stringify(audit.rows)).not.toContain(receiver.url);
  });

  it('the form on the admin page adds one too, and a refused one comes back with the reason', async () => {
    const refused = await desk.post(`/admin/sites/${SITE}/chat`, { service: 'slack', url: 'ftp://x', events: 'held' });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('Only http:// and https:// URLs');
  });

  it('held comments: each service gets its own format with the count; retried after 500s and while down; never twice after a 200', async () => {
    receiver.answer('/teams', 500, 500);
    await down.stop();
    await heldComment();

    const slack = (await waitFor('the Slack post', () => receiver.bodies('/slack')[0])) as {
      text: string;
      blocks: { type: string; text?: { type: string; text: string }; fields?: { text: string }[] }[];
    };
    expect(slack.text).toBe('1 comment is waiting for moderation (Site newsroom)');
    expect(slack.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*1 comment is waiting for moderation*\nSite: Site newsroom' },
    });
    expect(slack.blocks[1]?.fields?.[0]?.text).toBe('*Waiting*\n1');
    expect(slack.blocks[2]).toMatchObject({ type: 'actions', elements: [{ type: 'button', url: `${api.url}/admin` }] });

    // Teams answered 500 twice: the third attempt carried the same card and was the last.
    const teams = await waitFor('the third Teams attempt', () =>
      receiver.bodies('/teams').length >= 3 ? receiver.bodies('/teams') : undefined,
    );
    expect(new Set(teams.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(teams[0]).toMatchObject({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: {
            type: 'AdaptiveCard',
            body: [{ type: 'TextBlock', text: '1 comment is waiting for moderation' }, { type: 'FactSet' }],
            actions: [{ type: 'Action.OpenUrl', url: `${api.url}/admin` }],
          },
        },
      ],
    });

    // Mattermost is down: the post is retried and reaches it once it is back.
    const targets = await listChatTargets(db.pool, SITE);
    const mm = targets.find((t) => t.service === 'mattermost')!;
    await waitFor('a failed attempt at Mattermost', async () =>
      (await listChatTargets(db.pool, SITE)).find((t) => t.id === mm.id)?.lastResult === 'retrying' ? true : undefined,
    );
    await down.start();
    const mattermost = (await waitFor('the Mattermost post', () => down.bodies('/mm')[0], 15_000)) as {
      text: string;
    };
    expect(mattermost.text).toBe(
      `**1 comment is waiting for moderation**\nSite: Site newsroom\nWaiting: **1**\nNew since the last notice: **1**\nOldest: **${mattermost.text.match(/Oldest: \*\*(.+)\*\*/)?.[1]}**\n[Open the desk](${api.url}/admin)`,
    );
    expect(mattermost.text).toMatch(/Oldest: \*\*\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\*\*/);

    await sleep(1500);
    expect(receiver.bodies('/slack')).toHaveLength(1);
    expect(receiver.bodies('/teams')).toHaveLength(3);
    expect(down.bodies('/mm')).toHaveLength(1);
    const after = await listChatTargets(db.pool, SITE);
    expect(after.map((t) => t.lastResult)).toEqual(['delivered', 'delivered', 'delivered']);
  }, 40_000);

  it('held comments are paced: more within the interval wait for one post at its end, with the count', async () => {
    await heldComment();
    await heldComment();
    await heldComment();
    // One delayed run per target (three comments, one run each), due when its interval (1 minute) ends.
    const delayed = await waitFor('the delayed runs', async () => {
      const jobs = await workers.notices.getDelayed();
      return jobs.length >= 3 ? jobs : undefined;
    });
    await sleep(500);
    expect((await workers.notices.getDelayed()).map((j) => j.id).sort()).toEqual(delayed.map((j) => j.id).sort());
    expect(new Set(delayed.map((j) => (j.data as { targetId?: number }).targetId)).size).toBe(3);
    expect(receiver.bodies('/slack')).toHaveLength(1);
    // The minute passes (moved back in the database) and the runs come due.
    await db.pool.query(`update chat_targets set held_notified_at = held_notified_at - interval '2 minutes'`);
    await db.pool.query(`update comments set received_at = received_at - interval '2 minutes'`);
    for (const job of delayed) await job.promote();
    const second = (await waitFor('the second Slack post', () => receiver.bodies('/slack')[1])) as {
      text: string;
      blocks: { fields?: { text: string }[] }[];
    };
    expect(second.text).toBe('4 comments are waiting for moderation (Site newsroom)');
    expect(second.blocks[1]?.fields?.map((f) => f.text).slice(0, 2)).toEqual([
      '*Waiting*\n4',
      '*New since the last notice*\n3',
    ]);
  }, 30_000);

  it('an appeal opened (notifyAppealOpened, called by the appeals code) is posted once per target with its story', async () => {
    await db.pool.query(`update pages set title = 'Budget <!channel> day' where identifier = 'budget'`);
    const commentId = await heldComment();
    const before = receiver.bodies('/slack').length;
    await notifyAppealOpened(workers.notices, {
      siteId: SITE,
      appealId: 'appeal-7',
      commentId,
      openAppeals: 2,
      deskPath: '/admin/appeals',
    });
    await notifyAppealOpened(workers.notices, {
      siteId: SITE,
      appealId: 'appeal-7',
      commentId,
      openAppeals: 2,
      deskPath: '/admin/appeals',
    });
    const appeal = (await waitFor('the appeal post', () =>
      receiver
        .bodies('/slack')
        .slice(before)
        .find((b) => (b as { text: string }).text.startsWith('An appeal')),
    )) as {
      text: string;
      blocks: { text?: { text: string }; fields?: { text: string }[]; elements?: { url: string }[] }[];
    };
    expect(appeal.text).toBe('An appeal was opened: another moderator decides it (Site newsroom)');
    // The title cannot mention the channel: Slack's control characters are escaped.
    expect(appeal.blocks[0]?.text?.text).toContain(`<${api.origin}/budget|Budget &lt;!channel&gt; day>`);
    expect(appeal.blocks[1]?.fields?.[0]?.text).toBe('*Open appeals*\n2');
    expect(appeal.blocks[2]?.elements?.[0]?.url).toBe(`${api.url}/admin/appeals`);
    const mm = (await waitFor('the Mattermost appeal', () =>
      down.bodies('/mm').find((b) => (b as { text: string }).text.startsWith('**An appeal')),
    )) as { text: string };
    expect(mm.text).toContain(`[Budget \\<!channel\\> day](${api.origin}/budget)`);
    await sleep(1000);
    expect(receiver.bodies('/slack').filter((b) => (b as { text: string }).text.startsWith('An appeal'))).toHaveLength(
      1,
    );
  }, 30_000);

  it('the CLI lists, adds and removes chat targets', async () => {
    const lines: string[] = [];
    await runChatCommand(
      db.pool,
      ['add', SITE, 'mattermost', 'https://chat.example.org/hooks/abc', '--events', 'surge', '--note', 'night shift'],
      (l) => lines.push(l),
    );
    expect(lines[0]).toMatch(/^chat target (\d+) added: mattermost for surge on newsroom$/);
    const id = /target (\d+)/.exec(lines[0]!)?.[1];
    await runChatCommand(db.pool, ['list', SITE], (l) => lines.push(l));
    expect(lines.some((l) => l.startsWith(`${id}\tmattermost\tsurge\t`))).toBe(true);
    await expect(runChatCommand(db.pool, ['add', SITE, 'slack', 'not a url'], () => {})).rejects.toThrow(
      /url: This is not a URL/,
    );
    await runChatCommand(db.pool, ['remove', SITE, String(id)], (l) => lines.push(l));
    expect(lines.at(-1)).toBe(`chat target ${id} removed`);
  });
});
