import { describe, expect, it } from 'vitest';
import { conversationLanguages, languages } from '../../widget/i18n.js';

// The conversation part (widget/conversation/) has words of its own, apart from embed.js' Messages so
// that embed.js does not carry them: every language must say all of them, with the same error codes.
describe("the conversation part's words", () => {
  it('every language of the widget says everything English says there', () => {
    const en = conversationLanguages.en!;
    expect(Object.keys(conversationLanguages).sort()).toEqual(Object.keys(languages).sort());
    for (const [lang, messages] of Object.entries(conversationLanguages)) {
      expect(Object.keys(messages).sort(), lang).toEqual(Object.keys(en).sort());
      expect(Object.keys(messages.voteErrors).sort(), lang).toEqual(Object.keys(en.voteErrors).sort());
      for (const [code, text] of Object.entries(messages.voteErrors))
        expect(text.trim(), `${lang}.${code}`).not.toBe('');
      for (const [key, text] of Object.entries(messages))
        if (typeof text === 'string') expect(text.trim(), `${lang}.${key}`).not.toBe('');
    }
  });

  it('counts new comments by the language’s plural rules', () => {
    const { en, de } = conversationLanguages;
    expect([0, 1, 2, 3].map((n) => en!.newComments(n))).toEqual([
      '0 new comments',
      '1 new comment',
      '2 new comments',
      '3 new comments',
    ]);
    expect([1, 3].map((n) => de!.newComments(n))).toEqual(['1 neuer Kommentar', '3 neue Kommentare']);
  });

  it('names a message for each error a vote can meet', () => {
    for (const code of ['OWN_COMMENT', 'SIGN_IN_REQUIRED', 'RATE_LIMITED', 'ALREADY_VOTED', ''])
      expect(conversationLanguages.en!.voteErrors[code]).toBeTruthy();
  });
});
