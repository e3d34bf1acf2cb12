import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMailKey, signMailToken } from '../../src/mail/mail-tokens.js';
import { listDueConfirmations, loadReplyNotice } from '../../src/store/mail-notices.js';
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

/*
 * Issue 15: readers in their own language beyond the widget. The pages behind links in reader mails
 * (unsubscribe, confirm, email sign-in) and the reasons a refused comment is given speak the language
 * the reader wrote or asked in, else the site's `language`, else the browser's; a German and an
 * Arabic (right-to-left) reader each get theirs. Reader mails fall back to the site's language too.
 */

let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
let mailKey: string;
const prefix = newQueuePrefix();

let n = 0;
async function post(site: string, extra: Record<string, unknown> = {}): Promise<string> {
  n += 1;
  const res = await postJson(
    api,
    {
      site,
      page: 'post-1',
      author: `Reader ${n}`,
      email: `reader-${n}@example.org`,
      body: `A comment in some language, number ${n}`,
      ...extra,
    },
    { origin: api.origin },
  );
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

/** An approved comment written in `lang` ('' : the request named none). */
async function approvedComment(site: string, lang: string): Promise<string> {
  const id = await post(site, lang === '' ? {} : { lang });
  expect((await waitForStored(db.pool, id)).status).toBe('approved');
  return id;
}

const page = (html: string) => ({
  lang: /<html lang="([^"]*)"/.exec(html)?.[1],
  rtl: /<html[^>]* dir="rtl"/.test(html),
  h1: /<h1>([^<]*)<\/h1>/.exec(html)?.[1],
  button: /<button type="submit">([^<]*)<\/button>/.exec(html)?.[1],
});

function unsubscribeUrl(commentId: string): string {
  return `${api.url}/mail/unsubscribe?token=${signMailToken(mailKey, { kind: 'unsubscribe', commentId })}`;
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  worker = await startWorker({ pool: db.pool, prefix });
  // German newspaper: readers who name no language get German; the other site says nothing (auto).
  await addSite(db.pool, 'zeitung', [api.origin], { holdFirstTime: false, floodSeconds: 0, language: 'de' });
  await addSite(db.pool, 'anywhere', [api.origin], { holdFirstTime: false, floodSeconds: 0 });
  await addSite(db.pool, 'slow', [api.origin], { holdFirstTime: false, floodSeconds: 600, language: 'de' });
  await api.sites.refresh();
  mailKey = await loadMailKey(db.pool);
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await deleteQueueKeys(prefix);
  await db?.drop();
});

describe('the pages behind reader mail links', () => {
  it('unsubscribe speaks the language the comment was written in: Arabic right to left, German', async () => {
    const arabic = await approvedComment('anywhere', 'ar');
    const get = await fetch(unsubscribeUrl(arabic), { headers: { 'accept-language': 'fr' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('content-language')).toBe('ar');
    expect(page(await get.text())).toEqual({
      lang: 'ar',
      rtl: true,
      h1: 'إيقاف إشعارات الردود؟',
      button: 'إلغاء الاشتراك',
    });
    const done = await fetch(unsubscribeUrl(arabic), { method: 'POST' });
    expect(done.status).toBe(200);
    expect(page(await done.text())).toMatchObject({ lang: 'ar', rtl: true, h1: 'أُلغي الاشتراك' });

    const german = await approvedComment('anywhere', 'de-AT');
    const de = page(await (await fetch(unsubscribeUrl(german))).text());
    expect(de).toEqual({
      lang: 'de',
      rtl: false,
      h1: 'Benachrichtigungen über Antworten beenden?',
      button: 'Abbestellen',
    });
  });

  it("a comment that named no language: the site's language over the browser's; on an auto site, the browser's", async () => {
    const onZeitung = await approvedComment('zeitung', '');
    const zeitung = await fetch(unsubscribeUrl(onZeitung), { headers: { 'accept-language': 'fr, en;q=0.5' } });
    expect(page(await zeitung.text())).toMatchObject({ lang: 'de', h1: 'Benachrichtigungen über Antworten beenden?' });

    const onAnywhere = await approvedComment('anywhere', '');
    const french = await fetch(unsubscribeUrl(onAnywhere), { headers: { 'accept-language': 'fr, en;q=0.5' } });
    expect(page(await french.text())).toMatchObject({ lang: 'fr', h1: 'Arrêter les avis de réponse ?' });
    const none = await fetch(unsubscribeUrl(onAnywhere));
    expect(page(await none.text())).toMatchObject({ lang: 'en', h1: 'Stop reply notices?' });
  });

  it("confirming an address speaks the address's language; a broken link the browser's", async () => {
    const nonce = randomBytes(12).toString('base64url');
    await db.pool.query(
      `insert into reply_mail_addresses (site_id, email, nonce, wanted_at, lang) values ('anywhere', $1, $2, now(), 'ar')`,
      ['confirm-ar@example.org', nonce],
    );
    const token = signMailToken(mailKey, {
      kind: 'confirm',
      siteId: 'anywhere',
      nonce,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    });
    const get = await fetch(`${api.url}/mail/confirm?token=${token}`, { headers: { 'accept-language': 'de' } });
    expect(page(await get.text())).toEqual({ lang: 'ar', rtl: true, h1: 'تأكيد إشعارات الردود؟', button: 'تأكيد' });
    const post = await fetch(`${api.url}/mail/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(post.status).toBe(200);
    expect(page(await post.text())).toMatchObject({ lang: 'ar', rtl: true, h1: 'تم التأكيد' });

    const broken = await fetch(`${api.url}/mail/confirm?token=${token.slice(0, -3)}xyz`, {
      headers: { 'accept-language': 'de-CH' },
    });
    expect(broken.status).toBe(400);
    const text = await broken.text();
    expect(page(text)).toMatchObject({ lang: 'de', h1: 'Dieser Link ist ungültig' });
    expect(text).toContain('Benachrichtigungen über Antworten beginnen, sobald');
    // A reader's page never sends them to the moderators' queue.
    expect(text).not.toContain('/admin');
  });

  it('the email sign-in link speaks the language the sign-in was asked in', async () => {
    const link = randomBytes(32).toString('base64url');
    const hash = createHash('sha256').update(link).digest();
    for (const [lang, email] of [
      ['ar', 'sign-in-ar@example.org'],
      ['de', 'sign-in-de@example.org'],
    ] as const) {
      const t = lang === 'ar' ? link : randomBytes(32).toString('base64url');
      await db.pool.query(
        `insert into reader_email_sign_ins (site_id, email, name, network, request_hash, expires_at, lang, link_hash)
         values ('anywhere', $1, 'Reader', '', $2, now() + interval '10 minutes', $3, $4)`,
        [email, randomBytes(32), lang, lang === 'ar' ? hash : createHash('sha256').update(t).digest()],
      );
      const res = await fetch(`${api.url}/readers/email/confirm?t=${t}`, { headers: { 'accept-language': 'fr' } });
      expect(res.status).toBe(200);
      expect(page(await res.text())).toEqual(
        lang === 'ar'
          ? { lang: 'ar', rtl: true, h1: 'تسجيل الدخول إلى Site anywhere؟', button: 'سجّل دخولي' }
          : { lang: 'de', rtl: false, h1: 'Bei Site anywhere anmelden?', button: 'Anmelden' },
      );
    }
    const unknown = await fetch(`${api.url}/readers/email/confirm?t=${'x'.repeat(43)}`, {
      headers: { 'accept-language': 'ar' },
    });
    expect(unknown.status).toBe(410);
    expect(page(await unknown.text())).toMatchObject({ lang: 'ar', rtl: true, h1: 'هذا الرابط غير صالح' });
  });
});

describe('refusal reasons', () => {
  async function refusedTooFast(lang: string | null): Promise<{ code: string; message: string }[]> {
    n += 1;
    const email = `fast-${n}@example.org`;
    const first = await post('slow', { email, ...(lang ? { lang } : {}) });
    await waitForStored(db.pool, first);
    const second = await post('slow', { email, body: `Again, quickly ${n}`, ...(lang ? { lang } : {}) });
    expect((await waitForStored(db.pool, second)).status).toBe('rejected');
    const res = await fetch(`${api.url}/api/comments/${second}`, { headers: { 'accept-language': 'fr' } });
    const status = (await res.json()) as { status: string; errors: { code: string; message: string }[] };
    expect(status.status).toBe('rejected');
    return status.errors;
  }

  it('a German and an Arabic reader are told why in their language; one who named none, in the site’s', async () => {
    const [de] = await refusedTooFast('de');
    expect(de!.code).toBe('TOO_FAST');
    expect(de!.message).toMatch(/^Du schreibst Kommentare zu schnell; bitte versuche es in \d+ Sekunden erneut\.$/);
    const [ar] = await refusedTooFast('ar');
    expect(ar!.message).toMatch(/^ترسل التعليقات بسرعة كبيرة؛ يرجى المحاولة مجددًا بعد /);
    // The site is German: a reader who named no language reads German, whatever the browser says.
    const [site] = await refusedTooFast(null);
    expect(site!.message).toMatch(/^Du schreibst Kommentare zu schnell/);
    // English keeps the checks' own words; what is stored for moderators stays English.
    const [en] = await refusedTooFast('en');
    expect(en!.message).toMatch(/^You are posting comments too quickly; please try again in \d+ seconds\.$/);
  });

  it("a refused no-JS form post is answered in the site's language when the form names none", async () => {
    const res = await fetch(`${api.url}/api/comments`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
        origin: api.origin,
        'accept-language': 'fr',
      },
      body: new URLSearchParams({
        site: 'zeitung',
        page: 'post-1',
        author: 'Ann',
        email: 'ann@example.org',
      }).toString(),
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-language')).toBe('de');
    expect(await res.text()).toContain('Bitte schreibe einen Kommentar.');
  });
});

describe('reader mails', () => {
  it("a reply notice and a confirmation go in the site's language when the comment named none", async () => {
    const parent = await approvedComment('zeitung', '');
    await db.pool.query('insert into reply_subscriptions (comment_id) values ($1)', [parent]);
    const { rows } = await db.pool.query<{ email: string }>(
      'select author_email as email from comments where id = $1',
      [parent],
    );
    await db.pool.query(
      `insert into reply_mail_addresses (site_id, email, nonce, wanted_at, confirmed_at, lang)
       values ('zeitung', $1, $2, null, now(), '')`,
      [rows[0]!.email, randomBytes(12).toString('base64url')],
    );
    const reply = await post('zeitung', { parent, lang: 'fr' });
    await waitForStored(db.pool, reply);
    expect((await loadReplyNotice(db.pool, reply))?.lang).toBe('de');

    await db.pool.query(
      `insert into reply_mail_addresses (site_id, email, nonce, wanted_at, lang) values
         ('zeitung', 'due-none@example.org', $1, now(), ''), ('zeitung', 'due-ar@example.org', $2, now(), 'ar'),
         ('anywhere', 'due-auto@example.org', $3, now(), '')`,
      [1, 2, 3].map(() => randomBytes(12).toString('base64url')),
    );
    const due = Object.fromEntries((await listDueConfirmations(db.pool)).map((d) => [d.email, d.lang]));
    // 'auto' (or no setting) is English in a mail: no browser to ask.
    expect(due).toMatchObject({ 'due-none@example.org': 'de', 'due-ar@example.org': 'ar', 'due-auto@example.org': '' });
  });
});
