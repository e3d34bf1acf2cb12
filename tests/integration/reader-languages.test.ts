import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoSite } from '../../src/demo-site.js';
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
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * Issue 15, item 6, on the server: the page without JavaScript and its refused-post page speak the
 * reader's language (the form's hidden lang, ?lang=, else Accept-Language), and reader mails go in
 * the language the reader wrote their comment in (sql/0037 keeps it).
 */
let db: TestDatabase;
let api: TestApi;
let smtp: SmtpSink;
let worker: { close(): Promise<void> };
const prefix = newQueuePrefix();

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startSmtpSink();
  api = await startApi({ pool: db.pool, prefix, replyMail: true });
  await ensureDemoSite(db.pool, api.url, Number(new URL(api.url).port));
  await addSite(db.pool, 'lang-a', [api.origin], { holdFirstTime: false, floodSeconds: 0, holdLinks: 0 });
  worker = await startWorker({
    pool: db.pool,
    prefix,
    notifications: { smtpUrl: smtp.url, publicUrl: api.url, digestSweepMs: 200 },
  });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await smtp?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

async function page(path: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${api.url}${path}`, { headers });
  expect(res.status).toBe(200);
  return res.text();
}

async function postForm(fields: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.url}/api/comments`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: api.origin, ...headers },
    body: new URLSearchParams({ site: 'lang-a', comment_post_ID: 'p', author: 'Fabienne', ...fields }).toString(),
  });
  return { status: res.status, text: await res.text(), language: res.headers.get('content-language') };
}

describe('the no-JS thread and form', () => {
  it('a browser asking for French gets the thread and form in French, and the form carries fr', async () => {
    const html = await page('/', { 'accept-language': 'fr-CH, fr;q=0.9, en;q=0.8' });
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('Aucun commentaire pour l’instant');
    expect(html).toContain('Laisser un commentaire');
    expect(html).toContain('<label for="comment">Commentaire');
    expect(html).toContain('Votre adresse e-mail ne sera pas publiée.');
    expect(html).toContain('value="Publier le commentaire"');
    expect(html).toContain('<input type="hidden" name="reply_desk_lang" value="fr">');
    // The return address keeps the language for the page the reader comes back to.
    expect(html).toContain('<input type="hidden" name="redirect_to" value="/?lang=fr">');
    expect(html).not.toContain('Leave a Reply');
  });

  it('?lang= wins over Accept-Language; Arabic is right to left; a language we lack is English', async () => {
    const ar = await page('/?lang=ar', { 'accept-language': 'fr' });
    expect(ar).toContain('<html lang="ar" dir="rtl">');
    expect(ar).toContain('اترك تعليقًا');
    // The demo article itself is English and says so.
    expect(ar).toContain('<article class="post" lang="en" dir="ltr">');
    const en = await page('/', { 'accept-language': 'tlh, zh;q=0.5' });
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Leave a Reply');
    expect(await page('/', { 'accept-language': 'fr;q=0, de;q=0.4' })).toContain('Schreibe einen Kommentar');
  });
});

describe('the page a refused form post gets', () => {
  it('in French when the form says fr: title, label and each field’s message', async () => {
    const r = await postForm({ comment: ' ', email: 'not-an-address', reply_desk_lang: 'fr' });
    expect(r.status).toBe(422);
    expect(r.language).toBe('fr');
    expect(r.text).toContain('<html lang="fr">');
    expect(r.text).toContain('<h1>Échec de l’envoi du commentaire</h1>');
    expect(r.text).toContain('<strong>Erreur :</strong> Veuillez saisir votre commentaire.');
    expect(r.text).toContain('<li>Veuillez saisir une adresse e-mail valide.</li>');
    expect(r.text).not.toContain('Comment Submission Failure');
  });

  it('in French from Accept-Language when the form carries no language; English as before without either', async () => {
    const fr = await postForm({ comment: ' ' }, { 'accept-language': 'fr-FR' });
    expect(fr.status).toBe(422);
    expect(fr.text).toContain('Veuillez saisir votre commentaire.');
    const en = await postForm({ comment: ' ' });
    expect(en.text).toContain('<h1>Comment Submission Failure</h1>');
    expect(en.text).toContain('Please type your comment.');
  });
});

describe('reader mails in the language the reader wrote in', () => {
  it('a comment written in German keeps de; its confirmation and the reply notice come in German', async () => {
    const res = await postJson(
      api,
      {
        site: 'lang-a',
        page: 'post-de',
        pageUrl: `${api.origin}/post-de`,
        author: 'Greta',
        email: 'greta@example.org',
        body: 'Ein Kommentar auf Deutsch',
        notifyReplies: true,
        lang: 'de-AT',
      },
      { origin: api.origin },
    );
    expect(res.status).toBe(202);
    const parent = ((await res.json()) as { id: string }).id;
    await waitForStored(db.pool, parent);
    expect((await db.pool.query('select lang from comments where id = $1', [parent])).rows[0].lang).toBe('de');

    const confirm = await smtp.waitForMail('greta@example.org', { timeoutMs: 10_000 });
    expect(confirm.subject).toBe('Bestätige Antwort-Benachrichtigungen von Site lang-a');
    expect(confirm.html).toContain('<html lang="de">');
    const link = /\/mail\/confirm\?token=[A-Za-z0-9_.-]+/.exec(confirm.text ?? '')?.[0];
    expect(link).toBeDefined();
    const token = new URL(`${api.url}${link}`).searchParams.get('token')!;
    const confirmed = await fetch(`${api.url}/mail/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(confirmed.status).toBe(200);

    // The replier writes in English: the notice is in the recipient's language, not theirs.
    const reply = await postJson(
      api,
      { site: 'lang-a', page: 'post-de', parent, author: 'Rob', email: 'rob@example.org', body: 'A reply', lang: 'en' },
      { origin: api.origin },
    );
    expect(reply.status).toBe(202);
    await waitFor('the reply notice', () => smtp.mailsTo('greta@example.org').length >= 2, 10_000);
    const notice = smtp.mailsTo('greta@example.org')[1]!;
    expect(notice.subject).toBe(`Rob hat auf deinen Kommentar zu ${api.origin}/post-de geantwortet`);
    expect(notice.text).toContain('Hallo Greta,');
    expect(notice.text).toContain('> A reply');
  });
});
