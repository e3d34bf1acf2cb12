import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { classifierThresholds, spamClassifier } from '../../src/moderation/rules/classifier-rule.js';
import type { TrainingJob } from '../../src/queue/training-queue.js';
import { featurise } from '../../src/spam/features.js';
import { recordCalibrationSample } from '../../src/spam/calibration-store.js';
import { calibrateHold } from '../../src/spam/hold-calibration.js';
import { scoreSpam } from '../../src/spam/score-spam.js';
import { createSpamModels } from '../../src/spam/spam-models.js';
import { trainSpamModel } from '../../src/spam/spam-store.js';
import { createTrainingProcessor } from '../../workers/training-processor.js';
import { addSite } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { baseContext } from '../unit/support/check-context.js';

// Per-site calibration of the spam filter's hold threshold, through the training worker's processor
// and Postgres: a site whose moderators approve what the filter leans to call spam.
let db: TestDatabase;
const logger = createLogger('silent', 'test');

const seed = [
  ...[
    'check out my channel, I make guitar covers',
    'please subscribe to my channel i sub back',
    'free gift cards at http://free-gifts.xyz hurry',
    'sub to my channel for daily vlogs',
    'check out my new video on my channel',
    'earn $500 a day from home http://earn-fast.top',
    'free iphone giveaway, subscribe and comment',
    'small youtuber here please check out my channel',
    'get free followers instantly at http://followers.tk',
    'check out my music channel, it would mean a lot',
    'please subscribe, trying to reach 1000 subs',
    'win a free psn code at http://codes.xyz',
  ].map((text) => [text, 'spam'] as const),
  ...[
    'this article explains the budget well',
    'the figures in the second chart look wrong to me',
    'who else read this on the train this morning?',
    'my dad worked at that plant for thirty years',
    'the interview with the mayor was fair',
    'I cried at the ending of the story',
    'thanks for covering our local library',
    'the photographer deserves more credit',
    'I disagree with the conclusion but it is well argued',
    'the council meeting is on Tuesday, not Monday',
    'great reporting, please follow up next year',
    'such a calm and clear explanation',
  ].map((text) => [text, 'ham'] as const),
];
// On this site readers promote their own channels and moderators let them: the filter leans to spam.
const promoting = [
  'check out my channel, we cover the council meetings every week',
  'subscribe to my channel for the full interview with the mayor',
  'check out my video on the library reopening',
  'my channel has the whole budget debate, please subscribe',
  'check out my new video on my channel about the plant closing',
  'please check out my channel, local history every Sunday',
];
const topics = ['budget', 'school', 'bridge', 'library', 'election', 'harbour', 'museum', 'tram', 'park', 'market'];
const plain = Array.from(
  { length: 100 },
  (_, i) => `Reader note ${i}: the ${topics[i % 10]} story was ${i % 3 === 0 ? 'fair' : 'thorough'} and well told`,
);

async function insertComments(site: string, bodies: readonly string[], status: string): Promise<string[]> {
  const { rows: pages } = await db.pool.query<{ id: number }>(
    `insert into pages (site_id, identifier) values ($1, 'calibration')
     on conflict (site_id, identifier) do update set identifier = excluded.identifier returning id`,
    [site],
  );
  const ids: string[] = [];
  for (const body of bodies) {
    const id = randomUUID();
    await db.pool.query(
      `insert into comments (id, site_id, page_id, author_name, author_email, body, body_html, status, verdict, content_hash, received_at)
       values ($1, $2, $3, 'Reader', 'reader@example.org', $4, $4, $5, '{"status":"pending","score":0,"reasons":[]}', $6, now())`,
      [id, site, pages[0]!.id, body, status, randomUUID()],
    );
    ids.push(id);
  }
  return ids;
}

const samples = async (site: string) =>
  (
    await db.pool.query<{ comment_id: string; label: string; p_spam: number }>(
      'select comment_id, label, p_spam from spam_calibration_samples where site_id = $1',
      [site],
    )
  ).rows;

beforeAll(async () => {
  db = await createTestDatabase();
  await addSite(db.pool, 'news', ['http://news.example'], {});
  await trainSpamModel(
    db.pool,
    'news',
    seed.map(([text, label], i) => ({
      example: `seed-${i}`,
      label,
      features: featurise({ body: text }).map((f) => f.id),
    })),
  );
});

afterAll(async () => {
  await db?.drop();
});

describe('per-site calibration of the hold threshold', () => {
  it("when a site's moderators approve comments the model scored high, the site's hold threshold rises toward its target", async () => {
    // retrainFactor 0: the layer follows every decision, so each score is of the model before that one.
    const process = createTrainingProcessor({
      db: db.pool,
      logger,
      spamModels: createSpamModels(db.pool, { refreshMs: 0, retrainFactor: 0 }),
    });
    // The promoting comments come first, one every 17 plain ones: the first are scored by a model that
    // has never seen one approved.
    const bodies = [...plain];
    promoting.forEach((b, i) => bodies.splice(i * 17, 0, b));
    const ids = await insertComments('news', bodies, 'approved');
    const workers = createSpamModels(db.pool, { refreshMs: 0 });
    const thresholdNow = async () => {
      const score = scoreSpam(await workers.viewFor('news'), { body: 'anything' });
      return calibrateHold(score.recentHamScores ?? [], 0.01, classifierThresholds);
    };

    for (const [i, id] of ids.entries()) {
      await process({ data: { commentId: id, siteId: 'news' } } as Job<TrainingJob>);
      // Below 100 approved comments the threshold only rises: above every one of them that scored high.
      if (i === 98) {
        const early = await thresholdNow();
        expect(early).toMatchObject({ calibrated: false, raised: true, hamSamples: 99, blockedHam: 0 });
        expect(early.threshold).toBeGreaterThan(classifierThresholds.hold);
      }
    }

    const rows = await samples('news');
    expect(rows).toHaveLength(ids.length);
    expect(rows.every((r) => r.label === 'ham')).toBe(true);
    const scoreOf = new Map(rows.map((r) => [r.comment_id, r.p_spam]));
    // Scored before each was learned: the promoting comments the default threshold would have held.
    const held = ids.filter((id) => scoreOf.get(id)! >= classifierThresholds.hold);
    expect(held.length).toBeGreaterThanOrEqual(3);
    expect(held.length / ids.length).toBeGreaterThan(0.01);

    const c = await thresholdNow();
    expect(c.calibrated).toBe(true);
    expect(c.hamSamples).toBe(ids.length);
    expect(c.threshold).toBeGreaterThan(classifierThresholds.hold);
    expect(c.blockedHam).toBeLessThanOrEqual(0.01);

    // The rule in a worker: a comment scored between the default and this site's threshold is published.
    const view = await workers.viewFor('news');
    const between = {
      ...scoreSpam(view, { body: 'anything' }),
      pSpam: (classifierThresholds.hold + c.threshold) / 2,
      trained: true,
    };
    expect(spamClassifier(baseContext({ spamScore: between }))).toBeNull();
    expect(spamClassifier(baseContext({ spamScore: { ...between, recentHamScores: [] } }))?.code).toBe('LIKELY_SPAM');
  });

  it('a retried decision keeps its first score, a relabelled one its score with the new label, and a taken-back one goes', async () => {
    const process = createTrainingProcessor({
      db: db.pool,
      logger,
      spamModels: createSpamModels(db.pool, { refreshMs: 0 }),
    });
    const [id] = await insertComments('news', ['check out my channel for the harbour festival photos'], 'approved');
    const job = { data: { commentId: id!, siteId: 'news' } } as Job<TrainingJob>;
    await process(job);
    const first = (await samples('news')).find((r) => r.comment_id === id)!;
    expect(first.label).toBe('ham');

    // Learned now: scoring it again would give a lower score, which the retry must not store.
    await process(job);
    expect((await samples('news')).find((r) => r.comment_id === id)).toEqual(first);

    await db.pool.query(`update comments set status = 'spam' where id = $1`, [id]);
    await process(job);
    expect((await samples('news')).find((r) => r.comment_id === id)).toEqual({ ...first, label: 'spam' });

    await db.pool.query(`update comments set status = 'pending' where id = $1`, [id]);
    await process(job);
    expect((await samples('news')).find((r) => r.comment_id === id)).toBeUndefined();
  });

  it("keeps a site's newest samples only, one over the window at most, and leaves other sites alone", async () => {
    await addSite(db.pool, 'small', ['http://small.example'], {});
    const ids = await insertComments('small', ['one', 'two', 'three', 'four', 'five'], 'approved');
    for (const [i, id] of ids.entries()) {
      await recordCalibrationSample(db.pool, { siteId: 'small', commentId: id, label: 'ham', pSpam: i / 10 }, 3);
      // decided_at is the transaction's time: keep the order unambiguous.
      await db.pool.query(
        `update spam_calibration_samples set decided_at = now() - make_interval(secs => $2) where comment_id = $1`,
        [id, 10 - i],
      );
    }
    const kept = (await samples('small')).map((r) => r.p_spam).sort();
    expect(kept).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect((await samples('news')).length).toBeGreaterThan(100);
  });
});
