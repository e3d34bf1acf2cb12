import { describe, expect, it } from 'vitest';
import { trainInMemory } from '../../src/spam/evaluate.js';
import { featurise } from '../../src/spam/features.js';
import { layerFor, scoreSpam } from '../../src/spam/score-spam.js';
import { createSpamModel, learnExample, viewOf, type SpamLabel } from '../../src/spam/spam-model.js';
import { createSpamModels } from '../../src/spam/spam-models.js';
import { toTrainingDelta, type TrainingExample } from '../../src/spam/spam-store.js';

const texts: [string, SpamLabel][] = [
  ['check out my channel for guitar covers', 'spam'],
  ['please subscribe to my channel, sub back', 'spam'],
  ['free gift cards at http://gifts.xyz', 'spam'],
  ['sub to my channel for daily vlogs', 'spam'],
  ['earn $500 a day from home http://earn.top', 'spam'],
  ['free iphone giveaway, subscribe now', 'spam'],
  ['this song brings back so many memories', 'ham'],
  ['the guitar solo at 3:02 is incredible', 'ham'],
  ['my dad used to play this in the car', 'ham'],
  ['the harmonies in the second verse are perfect', 'ham'],
  ['this was our wedding song', 'ham'],
  ['the drummer deserves more credit', 'ham'],
];
const body = 'subscribe to my channel for covers';

/**
 * Postgres as the store's two queries see it: a model's counts and version, its training rows and
 * removals, each stamped with the version that wrote it (what trainSpamModel's statement does).
 */
function fakeStore() {
  const model = createSpamModel();
  let version = 0;
  const rows = new Map<string, { label: SpamLabel; features: number[]; version: number }>();
  const removals = new Map<string, number>();
  const featureVersions = new Map<number, number>();
  let queries = 0;
  return {
    get queries() {
      return queries;
    },
    train(examples: TrainingExample[]) {
      const d = toTrainingDelta(
        examples,
        [...rows].map(([example, r]) => ({ example, label: r.label, features: r.features })),
      );
      version += 1;
      for (const [id, [s, h]] of d.features) {
        model.spam.set(id, (model.spam.get(id) ?? 0) + s);
        model.ham.set(id, (model.ham.get(id) ?? 0) + h);
        featureVersions.set(id, version);
      }
      model.spamDocs += d.spamDocs;
      model.hamDocs += d.hamDocs;
      model.spamFeatures += d.spamFeatures;
      model.hamFeatures += d.hamFeatures;
      for (const example of d.deletes) {
        rows.delete(example);
        removals.set(example, version);
      }
      for (const u of d.upserts) {
        rows.set(u.example, { label: u.label, features: u.features, version });
        removals.delete(u.example);
      }
    },
    db: {
      async query(sql: string, params: unknown[]) {
        queries += 1;
        const [name, since, until] = params as [string, number, number];
        // Only the site has a model; the shared one was never trained.
        if (name !== 'site') return { rows: [] };
        if (sql.includes('from spam_models m')) {
          const changed = [...featureVersions].filter(([, v]) => v > since);
          const head = {
            version: String(version),
            spam_docs: model.spamDocs,
            ham_docs: model.hamDocs,
            spam_features: String(model.spamFeatures),
            ham_features: String(model.hamFeatures),
          };
          const out =
            changed.length === 0
              ? [{ ...head, feature: null, spam: null, ham: null }]
              : changed.map(([id]) => ({
                  ...head,
                  feature: id,
                  spam: model.spam.get(id) ?? 0,
                  ham: model.ham.get(id) ?? 0,
                }));
          return { rows: version === 0 ? [] : out };
        }
        const learned = [...rows]
          .filter(([, r]) => r.version > since && r.version <= until)
          .map(([example, r]) => ({ example, label: r.label, features: r.features }));
        const forgotten = [...removals]
          .filter(([, v]) => v > since && v <= until)
          .map(([example]) => ({ example, label: null, features: null }));
        return { rows: [...learned, ...forgotten] };
      },
    },
  };
}

const asExamples = (list: [string, SpamLabel][], from = 0): TrainingExample[] =>
  list.map(([text, label], i) => ({
    example: `c${from + i}`,
    label,
    features: featurise({ body: text }).map((f) => f.id),
  }));

describe('createSpamModels', () => {
  it('loads the examples with the counts and scores exactly as the same model trained in memory', async () => {
    const store = fakeStore();
    store.train(asExamples(texts));
    const models = createSpamModels(store.db as never, { refreshMs: 0, retrainFactor: 0 });
    const memory = viewOf(trainInMemory(texts.map(([text, label]) => ({ text, label }))));
    expect(scoreSpam(await models.viewFor('site'), { body })).toEqual(scoreSpam(memory, { body }));
  });

  it('follows a forgotten example and a relabelled one, and ends exactly where it began', async () => {
    const store = fakeStore();
    const examples = asExamples(texts);
    store.train(examples);
    const models = createSpamModels(store.db as never, { refreshMs: 0, retrainFactor: 0 });
    const before = scoreSpam(await models.viewFor('site'), { body }).pSpam;

    store.train([{ ...(examples[0] as TrainingExample), label: null }]);
    const withoutFirst = trainInMemory(texts.slice(1).map(([text, label]) => ({ text, label })));
    expect(scoreSpam(await models.viewFor('site'), { body }).pSpam).toBe(
      scoreSpam(viewOf(withoutFirst), { body }).pSpam,
    );

    store.train([{ ...(examples[1] as TrainingExample), label: 'ham' }]);
    expect(scoreSpam(await models.viewFor('site'), { body }).pSpam).toBeLessThan(before);

    store.train([examples[0] as TrainingExample, examples[1] as TrainingExample]);
    expect(scoreSpam(await models.viewFor('site'), { body }).pSpam).toBe(before);
  });

  it('does not query again before refreshMs, nor for examples when nothing changed', async () => {
    let clock = 0;
    const store = fakeStore();
    store.train(asExamples(texts));
    const models = createSpamModels(store.db as never, { refreshMs: 1000, now: () => clock });
    await models.viewFor('site');
    const first = store.queries;
    await models.viewFor('site');
    expect(store.queries).toBe(first);
    clock = 1000;
    await models.viewFor('site');
    // One counts query per model (the site's and the shared one), no example query: no new version.
    expect(store.queries).toBe(first + 2);
  });

  it('trains a changed layer again only once retrainFactor times its training time has passed', async () => {
    let clock = 0;
    const store = fakeStore();
    const examples = asExamples(texts);
    store.train(examples);
    const models = createSpamModels(store.db as never, { refreshMs: 0, retrainFactor: 1_000_000, now: () => clock });
    const first = layerFor(await models.viewFor('site'));
    store.train(asExamples([['zorbex crypto signals join now', 'spam']], 100));
    // Too soon: the last layer scores, with the fresh counts.
    const soon = await models.viewFor('site');
    expect(layerFor(soon)).toBe(first);
    expect(soon.spamDocs).toBe(7);
    clock = 1e12;
    const later = layerFor(await models.viewFor('site'));
    expect(later).not.toBe(first);
    const memory = createSpamModel();
    for (const e of [...examples, ...asExamples([['zorbex crypto signals join now', 'spam']], 100)])
      learnExample(memory, e.features, e.label as SpamLabel);
    expect(later).toEqual(layerFor(viewOf(memory)));
  });
});
