import { describe, expect, it } from 'vitest';
import { abuseSignals, featuriseAbuse } from '../../src/abuse/abuse-features.js';
import { abuseLabelOf } from '../../src/abuse/learn-abuse.js';
import { findLexiconWords } from '../../src/abuse/lexicon.js';
import { scoreAbuse, type AbuseScore } from '../../src/abuse/score-abuse.js';
import { trainAbuseInMemory } from '../../src/abuse/evaluate-abuse.js';
import { toSiteSettings } from '../../src/domain/site-settings.js';
import { abuseFilter } from '../../src/moderation/rules/abuse-rule.js';
import { charGramsStart, featurise, hashFeature } from '../../src/spam/features.js';
import { learnExample, viewOf } from '../../src/spam/spam-model.js';
import { toTrainingDelta } from '../../src/spam/spam-store.js';

describe('the abuse lexicon', () => {
  it.each([
    ['you absolute shit', ['shit']],
    ['you absolute sh1t', ['shit']],
    // Cyrillic ѕ and і inside a Latin word, as look-alikes.
    ['you absolute ѕhіt', ['shit']],
    ['B1TCH', ['bitch']],
    ['fuuuuck off', ['fuck']],
    ['du Arschloch', ['arschloch']],
    ['du Ar5chl0ch', ['arschloch']],
    ['Du bist ein HURENSOHN', ['hurensohn']],
    ['va te faire foutre, connard', ['foutre', 'connard']],
    ['what an a55', ['ass']],
  ])('finds %j after normalising: %j', (text, words) => {
    expect(findLexiconWords(text)).toEqual(words);
  });

  it.each([
    'Scunthorpe United won on Saturday',
    'the assassin was never found',
    'same-sex marriage passed the senate',
    'the rape trial opens on Monday',
    'The con was a success',
    // Other languages' entries that are English words or subjects (pt, es, fr, nl lists).
    'The homosexual and heterosexual couples both said so',
    'My mama was a Nazi hunter after the war',
    'Dogs bite; they have gotten worse and sufferd for it',
    'Good article, thanks for the clear figures',
    // Ids and hashes read through leetspeak ("a55", "fa4", "t1t" inside them) are not words.
    'Reader a55b86d5-154 of run a55b86d5',
    'commit 14a1fc2d and build fa46263a, 79b15afe',
    'Comment 455 of 7117, room 717',
    '',
  ])('leaves %j alone (whitelisted words, topics, short foreign entries, ids)', (text) => {
    expect(findLexiconWords(text)).toEqual([]);
  });
});

describe('abuse features', () => {
  it.each([
    ['you are such a stupid clown', ['s:you+insult']],
    ['your argument is stupid', ['s:you+insult']],
    ['I will find you and kill you', ['s:you+threat']],
    ['kys', ['s:you+threat']],
    ['THIS IS THE WORST ARTICLE EVER WRITTEN', ['s:shouting']],
    ['NASA and the EU agree', []],
    ['the stupid weather ruined the match', []],
    ['thank you for the article', []],
  ])('%j has %j', (text, names) => {
    expect(abuseSignals(text, findLexiconWords(text))).toEqual(names);
  });

  it('the lexicon words become features, near "you" too, and variants share one', () => {
    expect(abuseSignals('you b1tch', findLexiconWords('you b1tch'))).toEqual([
      's:you+lexicon',
      's:lexicon',
      's:lexicon bitch',
    ]);
    expect(abuseSignals('ѕhіt', findLexiconWords('ѕhіt'))).toEqual(abuseSignals('shit', findLexiconWords('shit')));
  });

  it('adds its features before the length feature, so the character n-grams still come last', () => {
    const text = 'you are a stupid clown';
    const spam = featurise({ body: text });
    const abuse = featuriseAbuse({ body: text }, []);
    const ids = abuse.map((f) => f.id);
    expect(abuse.length).toBe(spam.length + 1);
    expect(ids).toContain(hashFeature('s:you+insult'));
    expect(charGramsStart(ids)).toBe(charGramsStart(spam.map((f) => f.id)) + 1);
    expect(abuse.slice(charGramsStart(ids))).toEqual(spam.slice(charGramsStart(spam.map((f) => f.id))));
  });
});

const taught = [
  ...[
    'you are a worthless idiot',
    'shut up you pathetic clown',
    'you stupid moron, nobody asked',
    'go away you disgusting pig',
    'you are such a liar and a coward',
    'what a dumb loser you are',
    'you are garbage',
    'nobody cares, you idiot',
    'you are a fool and a troll',
    'you are scum',
  ].map((text) => ({ text, label: 'abuse' as const })),
  ...[
    'thanks for the clear article',
    'the figures look right to me',
    'I disagree, but it is well argued',
    'my town had the same problem',
    'the mayor should answer this',
    'great photos of the harbour',
    'who else read this on the train?',
    'the council meets on Tuesday',
    'a fair and calm interview',
    'please follow this up next year',
  ].map((text) => ({ text, label: 'ok' as const })),
];

describe('learning is exact to undo', () => {
  it('unlearning a decision gives back the same scores, and relabelling it is the same as learning the other label', () => {
    const model = trainAbuseInMemory(taught);
    const text = 'you are a pathetic idiot';
    const before = scoreAbuse(viewOf(model), { body: text });
    const ids = featuriseAbuse({ body: 'you clown, you absolute zorblat' }, []).map((f) => f.id);
    learnExample(model, ids, 'spam');
    expect(scoreAbuse(viewOf(model), { body: 'such a zorblat' }).pAbuse).toBeGreaterThan(0.5);
    learnExample(model, ids, 'spam', -1);
    expect(scoreAbuse(viewOf(model), { body: text })).toEqual(before);
  });

  it('the store relabels a comment by unlearning exactly the features it learned', () => {
    const features = featuriseAbuse({ body: 'you idiot' }, []).map((f) => f.id);
    const d = toTrainingDelta(
      [{ example: 'c1', label: 'ham', features: [1, 2] }],
      [{ example: 'c1', label: 'spam', features }],
    );
    expect(d.spamDocs).toBe(-1);
    expect(d.hamDocs).toBe(1);
    for (const id of features) if (id !== 1 && id !== 2) expect(d.features.get(id)).toEqual([-1, 0]);
  });

  it.each([
    ['approved', null, 'ok'],
    ['rejected', 'abusive', 'abuse'],
    ['spam', 'abusive', 'abuse'],
    ['rejected', 'off_topic', null],
    ['rejected', null, null],
    ['pending', null, null],
    ['deleted', null, undefined],
  ] as const)('a comment %s with the reason %j teaches %j', (status, reason, label) => {
    expect(abuseLabelOf(status, reason)).toBe(label);
  });
});

const score = (over: Partial<AbuseScore>): AbuseScore => ({
  pAbuse: 0.5,
  features: [],
  trained: true,
  words: [],
  ...over,
});

describe('the abuse rule', () => {
  it.each([
    ['nothing found', score({}), {}, null],
    ['a lexicon word', score({ words: ['shit'] }), {}, 'Contains "shit" (abuse lexicon).'],
    ['two lexicon words', score({ words: ['shit', 'bitch'] }), {}, 'Contains "shit", "bitch" (abuse lexicon).'],
    ['a lexicon word, filter off', score({ words: ['shit'] }), { abuseFilter: 'off' as const }, null],
    [
      'the model at the threshold',
      score({ pAbuse: 0.93, features: [{ name: 'you+insult', weight: 2.5 }] }),
      {},
      'The abuse filter is 93% sure this is abusive. Strongest features: you+insult +2.5.',
    ],
    ['the model below the threshold', score({ pAbuse: 0.89 }), {}, null],
    [
      'the model below a lower threshold',
      score({ pAbuse: 0.89 }),
      { abuseThreshold: 80 },
      'The abuse filter is 89% sure this is abusive.',
    ],
    ['an untrained model', score({ pAbuse: 0.99, trained: false }), {}, null],
    ['no evidence at the lowest threshold', score({ pAbuse: 0.5 }), { abuseThreshold: 50 }, null],
  ])('%s', (_, abuseScore, settings, message) => {
    const out = abuseFilter({ abuseScore, settings: toSiteSettings(settings) });
    if (message === null) expect(out).toBeNull();
    else expect(out).toEqual({ rule: 'abuse', action: 'hold', code: 'ABUSE', message, score: 0 });
  });

  it('says nothing where no score was computed', () => {
    expect(abuseFilter({ abuseScore: null, settings: toSiteSettings({}) })).toBeNull();
    expect(abuseFilter({ settings: toSiteSettings({}) })).toBeNull();
  });
});
