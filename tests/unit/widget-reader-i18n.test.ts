import { describe, expect, it } from 'vitest';
import { languages, readerLanguages } from '../../widget/i18n.js';

// The reader's part (widget/reader/) has words of its own, apart from embed.js' Messages so that
// embed.js does not carry them: every language must say all of them too.
describe("the reader's part's words", () => {
  it('every language of the widget says everything English says there, with the same error codes', () => {
    const en = readerLanguages.en!;
    expect(Object.keys(readerLanguages).sort()).toEqual(Object.keys(languages).sort());
    for (const [lang, messages] of Object.entries(readerLanguages)) {
      expect(Object.keys(messages).sort(), lang).toEqual(Object.keys(en).sort());
      expect(Object.keys(messages.errors).sort(), lang).toEqual(Object.keys(en.errors).sort());
      expect(Object.keys(messages.status).sort(), lang).toEqual(Object.keys(en.status).sort());
      expect(messages.checkMail('a@example.org'), lang).toContain('a@example.org');
      for (const [key, text] of Object.entries(messages))
        if (typeof text === 'string') expect(text.trim(), `${lang}.${key}`).not.toBe('');
    }
  });
});
