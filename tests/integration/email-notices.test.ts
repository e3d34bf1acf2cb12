import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMailKey, signMailToken } from '../../src/mail/mail-tokens.js';
import { eraseCommenterData, exportCommenterData } from '../../src/store/privacy.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  startApi,
  startWorker,
  waitFor,
  waitForStored,
  type TestApi,
} from '../support/harness.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Mail through a local SMTP server started here: held-comment digests (batched under a burst) with
// one-click links (confirm page, single use, expiry, tampering), and reply notices with RFC 8058
// one-click unsubscribe.
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
let smtp: SMTPServer;
const prefix = newQueuePrefix();
const mails: { to: string[]; mail: ParsedMail }[] = [];
// Recipients the SMTP server was asked to take, refused ones included (their server says 550).
const rcptAttempts: string[] = [];
// Long enough that the burst below (posted at once) lands inside one interval on a loaded machine.
const DIGEST_MS = 5000;

function mailsTo(address: string): ParsedMail[] {
  return mails.filter((m) => m.to.includes(address)).map((m) => m.mail);
}

let n = 0;
async function comment(site: string, extra: Record<string, unknown> = {}): Promise<string> {
  n += 1;
  const res = await postJson(
    api,
    {
      site,
      page: 'post-1',
      pageUrl: `${api.origin}/post-1`,
      pageTitle: 'Post one',
      author: `Reader ${n}`,
      email: `reader-${n}@example.org`,
      body: `Mail comment number ${n}`,
      ...extra,
    },
    { origin: api.origin },
  );
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

function linksIn(text: string, kind: 'moderate' | 'unsubscribe' | 'confirm'): string[] {
  return [
    ...text.matchAll(new RegExp(`${api.url.replace(/[.:/]/g, '\\$&')}/mail/${kind}\\?token=[A-Za-z0-9_.-]+`, 'g')),
  ].map((m) => m[0]);
}

/** Waits for the confirmation mail of an address's first opt-in and confirms it as its owner would. */
async function confirmFromMail(address: string): Promise<ParsedMail> {
  await waitFor(
    `the confirmation to ${address}`,
    () => mailsTo(address).some((m) => m.subject?.startsWith('Confirm reply notices')),
    10_000,
  );
  const mail = mailsTo(address).find((m) => m.subject?.startsWith('Confirm reply notices'))!;
  const [link] = linksIn(mail.text ?? '', 'confirm');
  const token = new URL(link!).searchParams.get('token')!;
  const res = await fetch(`${api.url}/mail/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });
  expect(res.status).toBe(200);
  return mail;
}

async function statusOf(id: string): Promise<string> {
  return (await db.pool.query('select status from comments where id = $1', [id])).rows[0]?.status as string;
}

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      rcptAttempts.push(address.address);
      if (address.address.startsWith('refused'))
        callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  api = await startApi({ pool: db.pool, prefix, replyMail: true });
  const open = { holdFirstTime: false, floodSeconds: 0, holdLinks: 0 };
  await addSite(db.pool, 'held', [api.origin], { ...open, moderation: 'pre' });
  await addSite(db.pool, 'other', [api.origin], { ...open, moderation: 'pre' });
  await addSite(db.pool, 'open', [api.origin], open);
  await addModerator(db.pool, 'mod@example.org', 'moderator', ['held']);
  await addModerator(db.pool, 'quiet@example.org', 'moderator', ['held']);
  await addModerator(db.pool, 'elsewhere@example.org', 'moderator', ['other']);
  await db.pool.query(`update moderators set notify_held = true where email = 'elsewhere@example.org'`);
  worker = await startWorker({
    pool: db.pool,
    prefix,
    notifications: {
      smtpUrl: `smtp://127.0.0.1:${port}`,
      publicUrl: api.url,
      digestIntervalMs: DIGEST_MS,
      digestSweepMs: 200,
      linkTtlSeconds: 3600,
    },
  });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('held-comment notices', () => {
  it('a moderator turns notices on in My settings', async () => {
    const mod = new DashboardClient(api.url);
    await mod.signIn('mod@example.org');
    const page = await mod.page('/admin/me');
    expect(page).toContain('Mail me about held comments');
    expect((await mod.post('/admin/me', { notifyHeld: '1' })).status).toBe(303);
    expect(
      (await db.pool.query(`select notify_held from moderators where email = 'mod@example.org'`)).rows[0].notify_held,
    ).toBe(true);
    expect(await mod.page('/admin/me')).toContain('name="notifyHeld" value="1" checked');
  });

  it('the first held comment is mailed at once; a burst of 20 then comes as one digest, not 20 mails', async () => {
    const first = await comment('held');
    await waitFor('the first notice', () => mailsTo('mod@example.org').length >= 1, 10_000);
    const notice = mailsTo('mod@example.org')[0]!;
    // The submission's title is only a suggestion: the mail names the page by its URL (sql/0016).
    expect(notice.subject).toBe(`A comment is waiting for moderation: ${api.origin}/post-1`);
    expect(`${notice.subject}${notice.text}${notice.html}`).not.toContain('Post one');
    expect(notice.text).toContain(`Mail comment number ${n}`);
    expect(linksIn(notice.text ?? '', 'moderate')).toHaveLength(3);
    expect(notice.html).toContain('Approve</a>');
    expect(await statusOf(first)).toBe('pending');

    const burst = await Promise.all(Array.from({ length: 20 }, () => comment('held')));
    for (const id of burst) await waitForStored(db.pool, id);
    await waitFor('the digest', () => mailsTo('mod@example.org').length >= 2, 15_000);
    await new Promise((r) => setTimeout(r, DIGEST_MS + 1000));
    const all = mailsTo('mod@example.org');
    expect(all).toHaveLength(2);
    expect(all[1]!.subject).toBe('20 comments are waiting for moderation');
    expect(linksIn(all[1]!.text ?? '', 'moderate')).toHaveLength(60);
    // Opted out, or moderating another site: nothing.
    expect(mailsTo('quiet@example.org')).toHaveLength(0);
    expect(mailsTo('elsewhere@example.org')).toHaveLength(0);
  });

  it('a link shows a confirmation on GET (changing nothing), acts once on POST as that moderator, then is spent', async () => {
    const notice = mailsTo('mod@example.org')[0]!;
    const [approve, reject] = linksIn(notice.text ?? '', 'moderate');
    const commentId = /Mail comment number (\d+)/.exec(notice.text ?? '')?.[1];
    const { rows } = await db.pool.query(`select id from comments where body = $1`, [
      `Mail comment number ${commentId}`,
    ]);
    const id = rows[0].id as string;

    const page = await fetch(approve!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Approve this comment?');
    expect(html).toContain('<form method="post" action="/mail/moderate">');
    expect(await statusOf(id)).toBe('pending');

    const token = new URL(approve!).searchParams.get('token')!;
    const post = (t: string) =>
      fetch(`${api.url}/mail/moderate`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: t }).toString(),
      });
    const done = await post(token);
    expect(done.status).toBe(200);
    expect(await statusOf(id)).toBe('approved');
    const audit = await db.pool.query(
      `select actor, actor_id, action, detail from moderation_events where comment_id = $1 and action = 'approve'`,
      [id],
    );
    const modId = (await db.pool.query(`select id from moderators where email = 'mod@example.org'`)).rows[0].id;
    expect(audit.rows).toEqual([
      { actor: 'mod@example.org', actor_id: modId, action: 'approve', detail: { via: 'mail' } },
    ]);

    expect((await post(token)).status).toBe(409);
    // The same comment's other links in that mail are spent with it.
    expect((await post(new URL(reject!).searchParams.get('token')!)).status).toBe(409);
    expect(await statusOf(id)).toBe('approved');
  });

  it('a tampered or expired link is refused and changes nothing', async () => {
    const digest = mailsTo('mod@example.org')[1]!;
    const spam = linksIn(digest.text ?? '', 'moderate')[2]!;
    const token = new URL(spam).searchParams.get('token')!;
    const [payload, sig] = token.split('.');
    const v = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { c: string };
    const forged = `${Buffer.from(JSON.stringify({ ...v, a: 'approve' })).toString('base64url')}.${sig}`;
    const post = (t: string) =>
      fetch(`${api.url}/mail/moderate`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: t }).toString(),
      });
    expect((await post(forged)).status).toBe(400);
    expect((await fetch(`${api.url}/mail/moderate?token=${forged}`)).status).toBe(400);
    expect(await statusOf(v.c)).toBe('pending');

    const key = await loadMailKey(db.pool);
    const modId = (await db.pool.query(`select id from moderators where email = 'mod@example.org'`)).rows[0]
      .id as number;
    const expired = signMailToken(key, {
      kind: 'moderate',
      commentId: v.c,
      action: 'approve',
      moderatorId: modId,
      expiresAt: Math.floor(Date.now() / 1000) - 1,
      nonce: 'expired-nonce',
    });
    expect((await post(expired)).status).toBe(410);
    expect(await statusOf(v.c)).toBe('pending');

    // A valid link for a comment someone decided meanwhile leaves that decision alone.
    await db.pool.query(`update comments set status = 'rejected' where id = $1`, [v.c]);
    expect((await post(token)).status).toBe(409);
    expect(await statusOf(v.c)).toBe('rejected');
  });
});

describe('reply notices', () => {
  it("forms offer them only where mail is set up: the widget's site info and the form without JavaScript", async () => {
    await addSite(db.pool, 'demo', [api.origin], { holdFirstTime: false });
    const noMail = await startApi({ pool: db.pool, prefix: `${prefix}-nomail` });
    try {
      for (const [server, offered] of [
        [api, true],
        [noMail, false],
      ] as const) {
        const info = (await (
          await fetch(`${server.url}/api/sites/demo/public`, { headers: { origin: api.origin } })
        ).json()) as { replyMail: boolean };
        expect(info.replyMail).toBe(offered);
        expect((await (await fetch(`${server.url}/`)).text()).includes('name="notify_replies"')).toBe(offered);
      }
    } finally {
      await noMail.close();
    }
  });

  it('a commenter who opted in gets one mail per approved reply, without the replier’s email, and can unsubscribe in one click', async () => {
    const parent = await comment('open', { email: 'parent@example.org', author: 'Pat', notifyReplies: true });
    await waitForStored(db.pool, parent);
    // The opt-in is written just after the comment's row (the job awaits both): wait for it, not the row.
    await waitFor(
      'the opt-in',
      async () =>
        (await db.pool.query('select count(*)::int as c from reply_subscriptions where comment_id = $1', [parent]))
          .rows[0].c === 1,
      5000,
    );
    await confirmFromMail('parent@example.org');

    const reply = await comment('open', {
      parent,
      email: 'replier@example.org',
      author: 'Rita <b>',
      body: 'I <script>disagree</script> & more',
    });
    await waitFor('the reply notice', () => mailsTo('parent@example.org').length >= 2, 10_000);
    const mail = mailsTo('parent@example.org')[1]!;
    expect(mail.subject).toBe(`Rita <b> replied to your comment on ${api.origin}/post-1`);
    expect(mail.text).toContain('> I <script>disagree</script> & more');
    expect(mail.html).toContain('I &lt;script&gt;disagree&lt;/script&gt; &amp; more');
    expect(mail.html).not.toContain('<script>');
    expect(`${mail.text}${mail.html}${JSON.stringify(mail.headerLines)}`).not.toContain('replier@example.org');
    expect(mail.text).toContain(`${api.origin}/post-1#comment-${reply}`);
    const listLine = mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
    const unsubscribeUrl = /<([^>]+)>/.exec(listLine)?.[1] ?? '';
    expect(mail.text).toContain(unsubscribeUrl);
    expect(unsubscribeUrl).toMatch(new RegExp(`^${api.url}/mail/unsubscribe\\?token=`));
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );

    // The parent's own reply tells nobody; a rejected reply neither.
    await comment('open', { parent, email: 'parent@example.org', author: 'Pat', body: 'Answering myself' });

    // RFC 8058: the mail client POSTs List-Unsubscribe=One-Click to the URL, no cookies.
    const res = await fetch(unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect(
      (await db.pool.query('select unsubscribed_at from reply_subscriptions where comment_id = $1', [parent])).rows[0]
        .unsubscribed_at,
    ).toBeInstanceOf(Date);
    const later = await comment('open', { parent, email: 'another@example.org', body: 'Too late' });
    await waitForStored(db.pool, later);
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailsTo('parent@example.org')).toHaveLength(2);

    const bad = await fetch(`${unsubscribeUrl.slice(0, -4)}AAAA`, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(bad.status).toBe(400);
  });

  it('a held reply is mailed when a moderator approves it, and only once', async () => {
    const parent = await comment('held', { email: 'held-parent@example.org', notifyReplies: true });
    await waitForStored(db.pool, parent);
    await confirmFromMail('held-parent@example.org');
    await db.pool.query(`update comments set status = 'approved' where id = $1`, [parent]);
    const reply = await comment('held', { parent, email: 'held-replier@example.org', body: 'A held reply' });
    await waitForStored(db.pool, reply);
    await new Promise((r) => setTimeout(r, 800));
    expect(mailsTo('held-parent@example.org')).toHaveLength(1);

    const mod = new DashboardClient(api.url);
    await mod.signIn('mod@example.org');
    expect((await mod.post(`/admin/comments/${reply}/status`, { action: 'approve' }, { json: true })).status).toBe(200);
    await waitFor('the reply notice', () => mailsTo('held-parent@example.org').length >= 2, 10_000);
    expect(mailsTo('held-parent@example.org')[1]!.text).toContain('A held reply');

    // Undo and approve again: still one mail.
    await mod.post('/admin/undo', {}, { json: true });
    expect((await mod.post(`/admin/comments/${reply}/status`, { action: 'approve' }, { json: true })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailsTo('held-parent@example.org')).toHaveLength(2);
  });
});

describe('reply notices are double opt-in (issue 11, item 9)', () => {
  const post = (path: string, token: string) =>
    fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });
  const confirmations = (address: string) =>
    mailsTo(address).filter((m) => m.subject?.startsWith('Confirm reply notices'));

  it('an opt-in with someone else’s address sends that inbox one confirmation that carries no reader text, and no reply mail until it is confirmed', async () => {
    const hostile = {
      email: 'Victim@Example.org',
      author: 'Buy pills at evil.test',
      pageTitle: 'Call 555-0100 now',
      page: 'scam-page',
      pageUrl: `${api.origin}/scam-page`,
      body: 'Your account is locked, log in at evil.test',
      notifyReplies: true,
    };
    const parent = await comment('open', hostile);
    await waitForStored(db.pool, parent);
    await waitFor('the confirmation', () => confirmations('victim@example.org').length >= 1, 10_000);
    const mail = confirmations('victim@example.org')[0]!;
    expect(mail.subject).toBe('Confirm reply notices from Site open');
    const everything = `${mail.subject}\n${mail.text}\n${mail.html}\n${JSON.stringify(mail.headerLines)}`;
    for (const readerText of ['evil.test', 'pills', '555-0100', 'scam-page', 'locked'])
      expect(everything).not.toContain(readerText);
    expect(linksIn(mail.text ?? '', 'confirm')).toHaveLength(1);

    // A reply (with attacker text) before the owner confirmed: nothing goes to the inbox.
    const early = await comment('open', {
      parent,
      page: hostile.page,
      pageUrl: hostile.pageUrl,
      email: 'attacker@example.org',
      body: 'Wire the money to evil.test',
    });
    expect((await waitForStored(db.pool, early)).status).toBe('approved');
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailsTo('victim@example.org')).toHaveLength(1);
    expect(
      (await db.pool.query('select count(*)::int as c from reply_notices where reply_id = $1', [early])).rows[0].c,
    ).toBe(0);
  });

  it('the confirmation link shows a button on GET (confirming nothing), confirms on POST, answers a replay the same, and refuses a forged or expired link', async () => {
    const mail = confirmations('victim@example.org')[0]!;
    const link = linksIn(mail.text ?? '', 'confirm')[0]!;
    const token = new URL(link).searchParams.get('token')!;
    const confirmedAt = async () =>
      (
        await db.pool.query(
          `select confirmed_at from reply_mail_addresses where site_id = 'open' and email = 'victim@example.org'`,
        )
      ).rows[0].confirmed_at as Date | null;

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post" action="/mail/confirm">');
    expect(await confirmedAt()).toBeNull();

    const [payload, sig] = token.split('.');
    const v = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    expect(JSON.stringify(v)).not.toContain('victim');
    const forged = `${Buffer.from(JSON.stringify({ ...v, s: 'held' })).toString('base64url')}.${sig}`;
    expect((await post('/mail/confirm', forged)).status).toBe(400);
    const key = await loadMailKey(db.pool);
    const expired = signMailToken(key, {
      kind: 'confirm',
      siteId: 'open',
      nonce: v.n as string,
      expiresAt: Math.floor(Date.now() / 1000) - 1,
    });
    expect((await post('/mail/confirm', expired)).status).toBe(410);
    // A confirmation link is not an unsubscribe or moderation link, nor the other way round.
    expect((await post('/mail/unsubscribe', token)).status).toBe(400);
    expect(await confirmedAt()).toBeNull();

    expect((await post('/mail/confirm', token)).status).toBe(200);
    const first = await confirmedAt();
    expect(first).toBeInstanceOf(Date);
    expect((await post('/mail/confirm', token)).status).toBe(200);
    expect(await confirmedAt()).toEqual(first);
  });

  it('once confirmed, replies are mailed and the address is never asked again on that site', async () => {
    const parent = await comment('open', {
      email: 'victim@example.org',
      author: 'Vic',
      notifyReplies: true,
      body: 'Now it is really me',
    });
    await waitForStored(db.pool, parent);
    const reply = await comment('open', { parent, email: 'friend@example.org', author: 'Fran', body: 'A real answer' });
    await waitFor(
      'the reply notice',
      () => mailsTo('victim@example.org').some((m) => m.text?.includes('A real answer')),
      10_000,
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(confirmations('victim@example.org')).toHaveLength(1);
    expect(mailsTo('victim@example.org').find((m) => m.text?.includes('A real answer'))!.text).toContain(
      `#comment-${reply}`,
    );
  });

  it('a flood of opt-ins with one address sends one confirmation per site per day, however the address is written', async () => {
    const ids = await Promise.all(
      ['flood@example.org', 'FLOOD@example.org', 'Flood@Example.org', 'flood@example.org', 'flood@EXAMPLE.org'].map(
        (email, i) => comment('open', { email, notifyReplies: true, body: `Flood opt-in ${i}` }),
      ),
    );
    for (const id of ids) await waitForStored(db.pool, id);
    await waitFor('the confirmation', () => confirmations('flood@example.org').length >= 1, 10_000);
    const again = await comment('open', {
      email: 'flood@example.org',
      notifyReplies: true,
      body: 'Flood opt-in later',
    });
    await waitForStored(db.pool, again);
    await new Promise((r) => setTimeout(r, 1500));
    expect(confirmations('flood@example.org')).toHaveLength(1);

    // Another site asks for itself.
    await waitForStored(
      db.pool,
      await comment('held', { email: 'flood@example.org', notifyReplies: true, body: 'Flood on held' }),
    );
    await waitFor("the second site's confirmation", () => confirmations('flood@example.org').length >= 2, 10_000);
    expect(
      confirmations('flood@example.org')
        .map((m) => m.subject)
        .sort(),
    ).toEqual(['Confirm reply notices from Site held', 'Confirm reply notices from Site open']);

    // A day later, the opt-in still owed (made after the first mail) gets one more, and then it waits again.
    await db.pool.query(
      `update reply_mail_addresses set confirm_sent_at = now() - interval '25 hours' where site_id = 'open' and email = 'flood@example.org'`,
    );
    await waitFor("the next day's confirmation", () => confirmations('flood@example.org').length >= 3, 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(confirmations('flood@example.org')).toHaveLength(3);
  });
});

describe("a confirmation the recipient's server refuses", () => {
  it("is tried once a day, not on every sweep, and does not hold up anyone else's", async () => {
    const refused = await comment('open', {
      email: 'refused@example.org',
      notifyReplies: true,
      body: 'Refused opt-in',
    });
    await waitForStored(db.pool, refused);
    await waitFor('the refused attempt', () => rcptAttempts.includes('refused@example.org'), 10_000);
    const later = await comment('open', {
      email: 'after-refused@example.org',
      notifyReplies: true,
      body: 'Opt-in after a refused one',
    });
    await waitForStored(db.pool, later);
    await waitFor('the next confirmation', () => mailsTo('after-refused@example.org').length >= 1, 10_000);
    // Many sweeps (every 200 ms here) later, still one attempt; the address is owed one tomorrow.
    await new Promise((r) => setTimeout(r, 1500));
    expect(rcptAttempts.filter((a) => a === 'refused@example.org')).toHaveLength(1);
    const row = (
      await db.pool.query(
        `select wanted_at, confirm_sent_at, confirmed_at from reply_mail_addresses where email = 'refused@example.org'`,
      )
    ).rows[0];
    expect(row.wanted_at).toBeInstanceOf(Date);
    expect(row.confirm_sent_at).toBeInstanceOf(Date);
    expect(row.confirmed_at).toBeNull();
  });
});

describe('erasure and the opt-in record', () => {
  it('the commenter’s data export lists the opt-in record of each site', async () => {
    const data = await exportCommenterData(db.pool, 'Victim@example.org', null, new Date());
    expect(data.replyMailAddresses).toHaveLength(1);
    // Confirmed on the 'open' site by the confirmation-link test above.
    expect(data.replyMailAddresses[0]).toMatchObject({ site: 'open', confirmedAt: expect.any(Date) });
    expect(data.replyMailAddresses[0]?.since).toBeInstanceOf(Date);
  });

  it('erasing a commenter’s data removes their confirmed address too', async () => {
    const rows = () => db.pool.query(`select site_id from reply_mail_addresses where email = 'victim@example.org'`);
    expect((await rows()).rowCount).toBe(1);
    await eraseCommenterData(db.pool, 'Victim@example.org', null, { id: null, label: 'test' });
    expect((await rows()).rowCount).toBe(0);
  });
});

describe('page titles in mails (issue 11, item 11)', () => {
  it('a submitted page title never reaches a mail until a moderator confirms it; then mails use the confirmed one', async () => {
    const page = { page: 'titled-page', pageUrl: `${api.origin}/titled-page`, pageTitle: 'FREE MONEY at evil.test' };
    const first = await comment('held', page);
    await waitForStored(db.pool, first);
    const parent = await comment('open', { ...page, email: 'title-parent@example.org', notifyReplies: true });
    await waitForStored(db.pool, parent);
    await confirmFromMail('title-parent@example.org');
    await waitForStored(
      db.pool,
      await comment('open', { ...page, parent, body: 'Reply before the title is confirmed' }),
    );
    await waitFor('the reply notice', () => mailsTo('title-parent@example.org').length >= 2, 10_000);
    await waitFor(
      'the held notice',
      () => mailsTo('mod@example.org').some((m) => m.text?.includes(`${api.origin}/titled-page`)),
      20_000,
    );
    const before = [...mailsTo('title-parent@example.org'), ...mailsTo('mod@example.org')];
    expect(before.map((m) => `${m.subject}${m.text}${m.html}`).join('\n')).not.toContain('FREE MONEY');
    expect(mailsTo('title-parent@example.org')[1]!.subject).toBe(
      `Reader ${n} replied to your comment on ${api.origin}/titled-page`,
    );

    const mod = new DashboardClient(api.url);
    await mod.signIn('mod@example.org');
    expect(
      (
        await mod.post(
          '/admin/pages/title',
          { site: 'open', page: 'titled-page', title: 'A fine article' },
          { json: true },
        )
      ).status,
    ).toBe(403);
    const admin = `title-admin-${n}@example.org`;
    await addModerator(db.pool, admin, 'admin');
    const adm = new DashboardClient(api.url);
    await adm.signIn(admin);
    expect(
      (
        await adm.post(
          '/admin/pages/title',
          { site: 'open', page: 'titled-page', title: 'A fine article' },
          { json: true },
        )
      ).status,
    ).toBe(200);
    await waitForStored(
      db.pool,
      await comment('open', {
        ...page,
        parent,
        body: 'Reply after the title is confirmed',
        pageTitle: 'Renamed by a reader',
      }),
    );
    await waitFor('the second reply notice', () => mailsTo('title-parent@example.org').length >= 3, 10_000);
    expect(mailsTo('title-parent@example.org')[2]!.subject).toBe(
      `Reader ${n} replied to your comment on A fine article`,
    );
  });
});
