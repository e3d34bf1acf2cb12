import { describe, expect, it } from 'vitest';
import { classifierThresholds, spamClassifier } from '../../src/moderation/rules/classifier-rule.js';
import { toEvalMetrics, trainInMemory } from '../../src/spam/evaluate.js';
import { charGramsStart, featurise, hashFeature } from '../../src/spam/features.js';
import { defaultClassifierOptions, layerFor, scoreSpam } from '../../src/spam/score-spam.js';
import { trainSpamLayer } from '../../src/spam/spam-layer.js';
import { createSpamModel, learnExample, viewOf, type SpamModel } from '../../src/spam/spam-model.js';
import { baseContext } from './support/check-context.js';

const spam = [
  'check out my channel for guitar covers',
  'please subscribe to my channel, sub back',
  'free gift cards at http://gifts.xyz',
  'sub to my channel for daily vlogs',
  'check out my new video on my channel',
  'earn $500 a day from home http://earn.top',
  'free iphone giveaway, subscribe now',
  'small youtuber, please check out my channel',
  'get free followers at http://f.tk',
  'check out my music channel please',
  'subscribe to reach 1000 subs',
  'win a free psn code http://codes.xyz',
];
const ham = [
  'this song brings back so many memories',
  'the guitar solo at 3:02 is incredible',
  'who is still listening in 2024?',
  'my dad used to play this in the car',
  'the harmonies in the second verse are perfect',
  'I cried at the ending',
  'this was our wedding song',
  'the drummer deserves more credit',
  'her voice is unreal live',
  'the lyrics hit different now that I am older',
  'the chorus is stuck in my head',
  'such a chill vibe for studying',
];
const labelled = [
  ...spam.map((text) => ({ text, label: 'spam' as const })),
  ...ham.map((text) => ({ text, label: 'ham' as const })),
];
const ids = (body: string): number[] => featurise({ body }).map((f) => f.id);

describe('featurise', () => {
  it('reads normalised words, bigrams, character n-grams and structure, each once', () => {
    const names = featurise({ body: 'Check out my CHANNEL http://x.xyz check' }).map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining(['w:check', 'b:check out', 't:check out my', 'c:cha', 's:links=1', 'u:x.xyz', 'u:.xyz']),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  it('reads the shape of numbers, not their value: a short code and a phone number recur across texts', () => {
    const names = featurise({ body: 'Txt WIN to 87121 or call 09061701461' }).map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['n:5', 'n:87~5', 'n:11', 'n:09~11']));
    expect(names.some((n) => n.includes('87121'))).toBe(true); // the word itself is still a word feature
  });

  it('reads HTML as the text a reader sees: the anchor is one link, entities are decoded', () => {
    const names = featurise({
      body: 'don&#39;t miss <a href="http://spam.example/x">http://spam.example/x</a><br />now',
    }).map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['w:don', 'b:t miss', 's:links=1', 'u:spam.example', 'w:now']));
    expect(names).not.toContain('w:br');
    expect(names).not.toContain('w:39');
  });

  it('sees through look-alike letters, invisible characters and digits for letters', () => {
    // Structural features (digits, capitals, number shapes) read the raw text; the words and n-grams are the same.
    const textual = (body: string) =>
      featurise({ body })
        .filter((f) => !/^[sn]:/.test(f.name))
        .map((f) => f.name);
    expect(textual('Ꮩiagra fr\u200Bee m0ney')).toEqual(textual('viagra free money'));
  });

  it('lists the character n-grams last, right after the length, so that ids alone still tell them apart', () => {
    const features = featurise({ body: 'Check out my CHANNEL http://x.xyz' });
    const start = charGramsStart(features.map((f) => f.id));
    expect(features[start - 1]?.name).toMatch(/^s:words=/);
    expect(features.slice(start).every((f) => f.name.startsWith('c:'))).toBe(true);
    expect(features.slice(0, start).some((f) => f.name.startsWith('c:'))).toBe(false);
    expect(charGramsStart([1, 2, 3])).toBe(3);
  });

  it('hashes stably (the stored model depends on it)', () => {
    expect(hashFeature('w:free')).toBe(hashFeature('w:free'));
    expect(hashFeature('w:free')).not.toBe(hashFeature('w:fref'));
  });
});

describe('scoreSpam', () => {
  it('abstains untrained, and below the minimum examples per class', () => {
    expect(scoreSpam(viewOf(createSpamModel()), { body: 'check out my channel' })).toEqual({
      pSpam: 0.5,
      features: [],
      trained: false,
    });
    const few = trainInMemory(labelled.slice(0, 3).concat(labelled.slice(-3)));
    expect(scoreSpam(viewOf(few), { body: 'check out my channel' }).trained).toBe(false);
  });

  it('learns a separable toy set: unseen spam scores high, unseen ham low, with the reasons named', () => {
    const view = viewOf(trainInMemory(labelled));
    const s = scoreSpam(view, { body: 'check out my channel, I post covers' });
    expect(s.trained).toBe(true);
    expect(s.pSpam).toBeGreaterThan(classifierThresholds.hold);
    expect(s.features.map((f) => f.name)).toEqual(expect.arrayContaining([expect.stringMatching(/channel|check out/)]));
    expect(s.features.every((f) => f.weight > 0)).toBe(true);
    expect(scoreSpam(view, { body: 'the guitar solo in the second verse brings back memories' }).pSpam).toBeLessThan(
      0.3,
    );
  });

  it('a decision changes later scores, and unlearning it restores them exactly', () => {
    const model = trainInMemory(labelled);
    const text = 'join the zorbex crypto signals group';
    const before = scoreSpam(viewOf(model), { body: text }).pSpam;
    learnExample(model, ids('zorbex crypto signals, join now'), 'spam');
    const after = scoreSpam(viewOf(model), { body: text }).pSpam;
    expect(after - before).toBeGreaterThan(0.15);
    learnExample(model, ids('zorbex crypto signals, join now'), 'spam', -1);
    expect(scoreSpam(viewOf(model), { body: text }).pSpam).toBe(before);
    expect(model).toEqual(trainInMemory(labelled));
  });

  it('a model with few decisions is more cautious than one with many that say the same', () => {
    const text = 'check out my channel for covers';
    const few = scoreSpam(viewOf(trainInMemory(labelled)), { body: text }).pSpam;
    const many = scoreSpam(viewOf(trainInMemory(Array.from({ length: 20 }, () => labelled).flat())), {
      body: text,
    }).pSpam;
    expect(many).toBeGreaterThan(few);
    expect(few).toBeGreaterThan(0.5);
  });

  it('keeps per-class feature totals, so long spam does not make the common words of short ham spammy', () => {
    const model = createSpamModel();
    learnExample(
      model,
      ids('please subscribe to my channel and check out my videos, I upload every day, thanks a lot'),
      'spam',
    );
    expect(model.spamFeatures).toBe(model.spam.size);
    learnExample(model, ids('i love this song'), 'ham');
    expect(model.hamFeatures).toBe(model.ham.size);
    learnExample(model, ids('i love this song'), 'ham', -1);
    expect(model.hamFeatures).toBe(0);
  });

  it('adds a shared model to a site model', () => {
    const site = trainInMemory(labelled);
    const shared = createSpamModel();
    learnExample(shared, ids('zorbex crypto signals'), 'spam');
    const view = viewOf(site, shared);
    expect(view.spamDocs).toBe(13);
    expect(scoreSpam(view, { body: 'zorbex crypto signals' }).pSpam).toBeGreaterThan(
      scoreSpam(viewOf(site), { body: 'zorbex crypto signals' }).pSpam,
    );
  });
});

// The same examples as stored in Postgres: one entry per example id (no content keys, no counts).
function asStored(model: SpamModel): SpamModel {
  const stored = { ...model, spam: new Map(model.spam), ham: new Map(model.ham), examples: new Map() };
  let n = 0;
  for (const e of model.examples.values()) {
    for (let i = 0; i < e.count; i++)
      stored.examples.set(`comment-${n++}`, { label: e.label, features: e.features, count: 1 });
  }
  return stored;
}

describe('the layer', () => {
  const body = 'check out my channel, I post covers';

  it('depends on the examples, not on the order they were learned in', () => {
    const forwards = trainInMemory(labelled);
    const backwards = trainInMemory([...labelled].reverse());
    expect(scoreSpam(viewOf(backwards), { body })).toEqual(scoreSpam(viewOf(forwards), { body }));
    expect(layerFor(viewOf(backwards))).toEqual(layerFor(viewOf(forwards)));
  });

  it('is the same for a model keyed by example (as stored) as for one keyed by content, repeats included', () => {
    const memory = trainInMemory([
      ...labelled,
      labelled[0] as (typeof labelled)[number],
      labelled[0] as (typeof labelled)[number],
    ]);
    expect([...memory.examples.values()].some((e) => e.count === 3)).toBe(true);
    const stored = asStored(memory);
    expect(stored.examples.size).toBe(labelled.length + 2);
    expect(scoreSpam(viewOf(stored), { body })).toEqual(scoreSpam(viewOf(memory), { body }));
  });

  it('is trained again when the model changes, and not before', () => {
    const model = trainInMemory(labelled);
    const first = layerFor(viewOf(model));
    expect(layerFor(viewOf(model))).toBe(first);
    learnExample(model, ids('zorbex crypto signals'), 'spam');
    const second = layerFor(viewOf(model));
    expect(second).not.toBe(first);
    learnExample(model, ids('zorbex crypto signals'), 'spam', -1);
    expect(layerFor(viewOf(model))).toEqual(first);
  });

  it('needs an example of each class; naive Bayes alone scores without it', () => {
    const model = trainInMemory(labelled);
    const onlySpam = { ...model, examples: new Map([...model.examples].filter(([, e]) => e.label === 'spam')) };
    expect(trainSpamLayer(viewOf(onlySpam), defaultClassifierOptions)).toBeNull();
    expect(scoreSpam(viewOf(onlySpam), { body }).pSpam).toBeGreaterThan(0.5);
  });

  it('with enough examples of each class carries the score alone, and ranks a held-out spam above a ham', () => {
    const many = trainInMemory(Array.from({ length: 20 }, () => labelled).flat());
    const layer = layerFor(viewOf(many));
    expect(layer?.examples).toBe(20 * labelled.length);
    expect(layer?.nbWeight).toBeGreaterThan(0);
    const spamScore = scoreSpam(viewOf(many), { body: 'subscribe to my channel for free covers' });
    const hamScore = scoreSpam(viewOf(many), { body: 'the drummer in the second verse is incredible' });
    expect(spamScore.pSpam).toBeGreaterThan(0.86);
    expect(hamScore.pSpam).toBeLessThan(0.2);
    expect(spamScore.features[0]?.weight).toBeGreaterThan(0);
  });
});

describe('spamClassifier rule', () => {
  const score = (pSpam: number, trained = true) => ({
    pSpam,
    trained,
    features: [{ name: "'check out'", weight: 2.3 }],
  });
  it.each<[string, Parameters<typeof baseContext>[0], string | null]>([
    ['no score', { spamScore: null }, null],
    ['an untrained model, however sure', { spamScore: score(0.999, false) }, null],
    ['a confident score', { spamScore: score(0.995) }, 'CLASSIFIED_SPAM'],
    ['an unsure score', { spamScore: score(0.7) }, 'LIKELY_SPAM'],
    ['an unsure score for a trusted author', { spamScore: score(0.7), trusted: true }, null],
    ['a confident score for a trusted author', { spamScore: score(0.995), trusted: true }, 'CLASSIFIED_SPAM'],
    ['a ham score', { spamScore: score(0.2) }, null],
  ])('%s gives %s', (_s, overrides, code) => {
    const outcome = spamClassifier(baseContext(overrides));
    expect(outcome?.code ?? null).toBe(code);
    if (outcome) expect(outcome.message).toContain("'check out' +2.3");
  });
});

describe('toEvalMetrics', () => {
  it('computes the rates and MCC (checked by hand)', () => {
    // tp 2, fp 1, tn 2, fn 1: MCC = (2·2 − 1·1) / √(3·3·3·3) = 3/9
    expect(toEvalMetrics({ tp: 2, fp: 1, tn: 2, fn: 1 }, 0.1234)).toEqual({
      tp: 2,
      fp: 1,
      tn: 2,
      fn: 1,
      spamCaught: 0.6667,
      blockedHam: 0.3333,
      accuracy: 0.6667,
      mcc: 0.3333,
      msPerComment: 0.123,
    });
    // tp 45, fp 2, tn 48, fn 5: MCC = (45·48 − 2·5) / √(47·50·50·53) = 2150 / 2495.5 ≈ 0.8616
    expect(toEvalMetrics({ tp: 45, fp: 2, tn: 48, fn: 5 }, 0).mcc).toBe(0.8616);
    expect(toEvalMetrics({ tp: 0, fp: 0, tn: 3, fn: 0 }, 0).mcc).toBe(0);
  });
});
