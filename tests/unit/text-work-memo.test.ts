import { describe, expect, it } from 'vitest';
import { findLexiconWords } from '../../src/abuse/lexicon.js';
import { normalizeText } from '../../src/domain/normalize-text.js';
import { featurise } from '../../src/spam/features.js';

// The worker's text work remembers recent answers (issue 18 item 6: the same comment is normalised and
// featurised several times in one check); a remembered answer must be the answer, and callers' own.
describe('remembered text work', () => {
  it('featurise: the same features for the same comment, in an array the caller may change', () => {
    const input = { body: 'Free money at https://spam.example now!!', url: 'https://me.example' };
    const first = featurise(input);
    first.push({ id: 1, name: 'mine' });
    const second = featurise(input);
    expect(second).toEqual(first.slice(0, -1));
    expect(featurise({ ...input, url: '' })).not.toEqual(second);
  });

  it('normalizeText answers the same from memory', () => {
    const text = 'FR\u200BÉE m0ney ΡayΡal';
    expect(normalizeText(text)).toBe('free money paypal');
    expect(normalizeText(text)).toBe('free money paypal');
  });

  it('the lexicon still finds phrases of three words and more, and single words after a phrase’s first word', () => {
    expect(findLexiconWords('elle a dit fille de pute hier')).toEqual(['fille de pute', 'pute']);
    expect(findLexiconWords('la fille de la voisine')).toEqual([]);
    expect(findLexiconWords('una concha de tu madre')).toEqual(['concha', 'Concha de tu madre']);
  });
});
