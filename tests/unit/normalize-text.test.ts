import { describe, it, expect } from 'vitest';
import { findListedWord, normalizeText } from '../../src/domain/normalize-text.js';

describe('normalizeText', () => {
  it.each([
    ['uppercase letters', 'FREE Money', 'free money'],
    ['fullwidth letters', 'ＦＲＥＥ ｍｏｎｅｙ', 'free money'],
    ['mathematical bold letters', '𝐟𝐫𝐞𝐞 m𝐨ney', 'free money'],
    ['a ligature', 'ﬁnance', 'finance'],
    ['accents (precomposed)', 'Café Crème', 'cafe creme'],
    ['accents (combining marks)', 'cafe\u0301', 'cafe'],
    ['a zero-width space inside a word', 'fr\u200Bee', 'free'],
    ['a zero-width joiner and non-joiner', 'mo\u200Dn\u200Cey', 'money'],
    ['a soft hyphen inside a word', 'cas\u00ADino', 'casino'],
    ['a word joiner and a byte-order mark', '\uFEFFvi\u2060agra', 'viagra'],
    ['a bidi override inside a word', 'ca\u202Esino', 'casino'],
    ['everything at once', 'FR\u200BÉE m𝐨ney!', 'free money'],
    ['punctuation between words', 'buy---now!!! cheap...pills', 'buy now cheap pills'],
    ['runs of whitespace and line breaks', '  a \n\t b  ', 'a b'],
    ['digits kept', 'Call 555-1234', 'call 555 1234'],
    ['non-Latin letters kept', 'Привет, мир', 'привет мир'],
    ['only punctuation', '!!! ...', ''],
    ['an empty string', '', ''],
    ['a Cherokee letter that looks like V', 'Ꮩiagra', 'viagra'],
    ['Greek capital Rho for P', 'ΡayΡal', 'paypal'],
    ['a Cyrillic letter inside a Latin word', 'Сasino', 'casino'],
    ['a zero-width space and a digit zero for o', 'fr\u200Bee m0ney', 'free money'],
    ['digits for letters inside words', 'v1agra fr33dom', 'viagra freedom'],
    ['numbers stay numbers', 'In 2024, covid19 mp3 b2b 4k 1st', 'in 2024 covid19 mp3 b2b 4k 1st'],
    ['a wholly Greek word stays Greek', 'Ρώμη', 'ρωμη'],
  ])('%s: %j → %j', (_scenario, input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });
});

describe('findListedWord', () => {
  it.each([
    // [scenario, text, words, expected]
    ['a listed word in the text', 'Get free money now', ['money'], 'money'],
    ['a listed word in another case', 'Get MONEY now', ['money'], 'money'],
    ['a listed word written in capitals, text in lower case', 'get money now', ['MONEY'], 'MONEY'],
    ['a listed word in fullwidth letters', 'Get ｍｏｎｅｙ now', ['money'], 'money'],
    ['a listed word with accents', 'Visit the casinó', ['casino'], 'casino'],
    ['a listed word split by a zero-width space', 'totally fr\u200Bee stuff', ['free'], 'free'],
    ['a listed word followed by punctuation', 'casino!', ['casino'], 'casino'],
    ['a listed word at the start of the text', 'casino tonight', ['casino'], 'casino'],
    ['a listed phrase', 'Get free money now', ['free money'], 'free money'],
    ['a listed phrase across a line break and punctuation', 'free,\nmoney', ['free money'], 'free money'],
    ['a listed phrase with extra spaces in the list', 'free money', ['  free   money '], '  free   money '],
    ['the first listed word that matches, in list order', 'cheap pills and casino', ['casino', 'pills'], 'casino'],
    ['a word with only punctuation in the list next to a real one', 'casino', ['!!!', 'casino'], 'casino'],
    ['a listed word written with look-alike letters', 'cheap Ꮩiagra here', ['viagra'], 'viagra'],
    ['a listed word with a digit for a letter', 'free m0ney', ['free money'], 'free money'],
    ['a listed word with a Greek Rho', 'your ΡayΡal account', ['paypal'], 'paypal'],
  ])('finds %s', (_scenario, text, words, expected) => {
    expect(findListedWord(text, words)).toBe(expected);
  });

  it.each([
    ['a listed word only inside a longer word ("class" vs "ass")', 'A first-class essay', ['ass']],
    ['a listed word only as a prefix ("cassino" vs "casino")', 'Montecassino abbey', ['casino']],
    ['a listed word only as a suffix', 'a scunthorpe resident', ['thorpe']],
    ['a phrase whose words are not adjacent', 'free and money', ['free money']],
    ['a phrase split across a word boundary', 'freemoney', ['free money']],
    ['an empty word list', 'anything goes', []],
    ['a list with only an empty word', 'anything goes', ['']],
    ['a list with only punctuation', 'anything goes!!!', ['!!!']],
    ['an empty text', '', ['casino']],
    ['a number that only looks like a listed word', 'call 5050 now', ['soso']],
  ])('finds nothing for %s', (_scenario, text, words) => {
    expect(findListedWord(text, words)).toBeNull();
  });
});
