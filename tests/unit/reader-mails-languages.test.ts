import { describe, expect, it } from 'vitest';
import { renderReplyConfirm, renderReplyNotice, renderSignInLink } from '../../src/mail/mail-templates.js';
import { acceptedLanguages, pickReaderLanguage } from '../../src/i18n/reader-language.js';

/*
 * Reader mails in the reader's language (issue 15, item 6), and how the server picks that language.
 * English stays word for word what it was: other tests and people's mail filters read it.
 */
const notice = {
  recipientName: 'Greta',
  replyAuthor: 'Rob <b>',
  replyText: 'Gute Frage & <i>Antwort</i>',
  page: 'Ein Artikel',
  commentUrl: 'https://news.example/a#comment-1',
  unsubscribeUrl: 'https://comments.example/mail/unsubscribe?token=t',
};

describe('a reply notice', () => {
  it('in German: subject, greeting and links in German; the reader’s text still only text', () => {
    const mail = renderReplyNotice({ ...notice, lang: 'de' });
    expect(mail.subject).toBe('Rob <b> hat auf deinen Kommentar zu Ein Artikel geantwortet');
    expect(mail.text).toContain('Hallo Greta,');
    expect(mail.text).toContain('Antwort lesen: https://news.example/a#comment-1');
    expect(mail.html).toContain('<html lang="de"><body');
    expect(mail.html).toContain('Rob &lt;b&gt; hat auf deinen Kommentar zu Ein Artikel geantwortet:');
    expect(mail.html).toContain('Gute Frage &amp; &lt;i&gt;Antwort&lt;/i&gt;');
    expect(mail.html).toContain('>Abbestellen</a>');
    expect(mail.html).not.toContain('dir="rtl"');
  });

  it('in Arabic: right to left, the quote’s bar on the right, the words Arabic', () => {
    const mail = renderReplyNotice({ ...notice, lang: 'ar' });
    expect(mail.subject).toBe('ردّ Rob <b> على تعليقك في Ein Artikel');
    expect(mail.text).toContain('مرحبًا Greta،');
    expect(mail.html).toContain('<html lang="ar" dir="rtl">');
    expect(mail.html).toContain('border-right: 3px solid #ccc');
    expect(mail.html).toContain('>اقرأ الرد</a>');
    expect(mail.html).toContain('>إلغاء الاشتراك</a>');
  });

  it('without a language (a comment from before sql/0037), or one we lack, in English as before', () => {
    for (const lang of [undefined, '', 'tlh']) {
      const mail = renderReplyNotice({ ...notice, lang });
      expect(mail.subject).toBe('Rob <b> replied to your comment on Ein Artikel');
      expect(mail.text.split('\n')[0]).toBe('Hello Greta,');
      expect(mail.text).toContain('You asked to hear about replies to this comment. Stop: https://comments.example/');
      expect(mail.html).toContain('<html lang="en"><body');
    }
  });
});

describe('the confirmation and sign-in mails', () => {
  it('count days and minutes by the language’s plural rules', () => {
    const pl = renderSignInLink({ siteName: 'Blog', signInUrl: 'https://x/s', linkMinutes: 15, lang: 'pl' });
    expect(pl.subject).toBe('Zaloguj się, aby komentować na Blog');
    expect(pl.text).toContain('(działa raz, przez 15 minut)');
    const pl2 = renderSignInLink({ siteName: 'Blog', signInUrl: 'https://x/s', linkMinutes: 2, lang: 'pl' });
    expect(pl2.text).toContain('(działa raz, przez 2 minuty)');
    const ar = renderReplyConfirm({ siteName: 'مدونة', confirmUrl: 'https://x/c', linkDays: 7, lang: 'ar' });
    expect(ar.text).toContain('(يعمل الرابط لمدة 7 أيام)');
    expect(ar.html).toContain('dir="rtl"');
    const de = renderReplyConfirm({ siteName: 'Blog', confirmUrl: 'https://x/c', linkDays: 1, lang: 'de' });
    expect(de.text).toContain('(der Link gilt 1 Tag)');
  });

  it('in English, word for word as before', () => {
    const en = renderReplyConfirm({ siteName: 'Blog', confirmUrl: 'https://x/c', linkDays: 7 });
    expect(en.subject).toBe('Confirm reply notices from Blog');
    expect(en.text).toContain('To get those mails, confirm this address (the link works for 7 days):\nhttps://x/c');
    expect(en.html).toContain(
      '<a href="https://x/c">Confirm this address</a> to get those mails (the link works for 7 days).',
    );
    const s = renderSignInLink({ siteName: 'Blog', signInUrl: 'https://x/s', linkMinutes: 15 });
    expect(s.subject).toBe('Sign in to comment on Blog');
    expect(s.text).toContain('To sign in, open this link (it works once, for 15 minutes):');
  });
});

describe('the reader’s language', () => {
  it.each([
    [{ lang: 'fr' }, 'fr'],
    [{ lang: 'de-AT', acceptLanguage: 'fr' }, 'de'],
    [{ lang: 'tlh', acceptLanguage: 'ja-JP,ja;q=0.9' }, 'ja'],
    [{ acceptLanguage: 'zh-CN, pt-BR;q=0.8, es;q=0.9' }, 'es'],
    [{ acceptLanguage: 'ru;q=0, pl;q=0.1' }, 'pl'],
    [{ acceptLanguage: '*' }, 'en'],
    [{ acceptLanguage: 'garbage;;q=x,,' }, 'en'],
    [{ acceptLanguage: 'zh', siteLanguage: 'it' }, 'it'],
    [{ acceptLanguage: 'fr', siteLanguage: 'it' }, 'it'],
    [{ lang: 'de', acceptLanguage: 'fr', siteLanguage: 'it' }, 'de'],
    [{ acceptLanguage: 'fr', siteLanguage: 'auto' }, 'fr'],
    [{}, 'en'],
  ])('%j → %s', (input, lang) => {
    expect(pickReaderLanguage(input)).toBe(lang);
  });

  it('Accept-Language is read by q-value, ties in the header’s order, q=0 left out', () => {
    expect(acceptedLanguages('de;q=0.5, fr, ar-EG;q=0.5, en;q=0')).toEqual(['fr', 'de', 'ar']);
  });
});
