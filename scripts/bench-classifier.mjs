// Speed of the spam classifier on this machine, over a labelled CSV (default: the YouTube-style
// fixture): the time to score one comment (featurise + score, in memory, the layer already trained),
// to learn one decision in memory, and to learn one decision as the training worker does (one
// Postgres transaction), each as median and p90; and, once, the time to train the layer on the whole
// file (what a worker spends after its models change, at most 1/20 of its time: spam-models.ts) and
// to load the stored model into a fresh worker and score a first comment. The Postgres part uses a
// scratch database on BENCH_DATABASE_URL's server (default the test server), migrated like
// production and dropped afterwards; SKIP_PG=1 leaves it out.
// Run: node --import tsx scripts/bench-classifier.mjs [FILE.csv]
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { readLabelledCsv } from '../src/cli/spam-commands.ts';
import { trainInMemory } from '../src/spam/evaluate.ts';
import { featurise } from '../src/spam/features.ts';
import { layerFor, scoreSpam } from '../src/spam/score-spam.ts';
import { learnExample, viewOf } from '../src/spam/spam-model.ts';
import { createSpamModels } from '../src/spam/spam-models.ts';
import { trainSpamModel } from '../src/spam/spam-store.ts';
import { createPool } from '../src/store/db.ts';
import { prepareDatabase } from '../src/store/migrate.ts';

const file = process.argv[2] ?? new URL('../tests/fixtures/spam/youtube-comments.csv', import.meta.url).pathname;
const rows = await readLabelledCsv(file);
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
const summary = (xs) => ({ median: +quantile(xs, 0.5).toFixed(4), p90: +quantile(xs, 0.9).toFixed(4) });

const model = trainInMemory(rows);
let started = performance.now();
layerFor(viewOf(model));
const msTrainLayer = +(performance.now() - started).toFixed(1);
const score = [];
for (let round = 0; round < 5; round++) {
  for (const r of rows) {
    const t = performance.now();
    scoreSpam(viewOf(model), { body: r.text });
    score.push(performance.now() - t);
  }
}
// Learning changes the model, so its layer would be trained again on the next score: measured apart.
const learn = [];
for (let round = 0; round < 5; round++) {
  for (const r of rows) {
    const t = performance.now();
    const ids = featurise({ body: r.text }).map((f) => f.id);
    learnExample(model, ids, r.label, 1);
    learnExample(model, ids, r.label, -1);
    learn.push((performance.now() - t) / 2);
  }
}
const result = { file, comments: rows.length, msScore: summary(score), msLearnInMemory: summary(learn), msTrainLayer };

if (process.env.SKIP_PG !== '1') {
  const server = new URL(
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  );
  const name = `rd_bench_${randomBytes(6).toString('hex')}`;
  const url = new URL(server);
  url.pathname = `/${name}`;
  await prepareDatabase(url.toString());
  const pool = createPool(url.toString(), 2);
  try {
    // As the training worker does: featurise the comment, then one transaction per decision, into a
    // model that grows to the whole file (later decisions touch more existing rows), then relabels.
    const learnPg = [];
    const relabelPg = [];
    for (const [i, r] of rows.entries()) {
      const t = performance.now();
      await trainSpamModel(pool, 'bench', [
        { example: `e${i}`, label: r.label, features: featurise({ body: r.text }).map((f) => f.id) },
      ]);
      learnPg.push(performance.now() - t);
    }
    for (const [i, r] of rows.slice(0, 200).entries()) {
      const t = performance.now();
      await trainSpamModel(pool, 'bench', [
        {
          example: `e${i}`,
          label: r.label === 'spam' ? 'ham' : 'spam',
          features: featurise({ body: r.text }).map((f) => f.id),
        },
      ]);
      relabelPg.push(performance.now() - t);
    }
    started = performance.now();
    scoreSpam(await createSpamModels(pool).viewFor('bench'), { body: rows[0].text });
    const msLoadAndFirstScore = +(performance.now() - started).toFixed(1);
    Object.assign(result, {
      msLearnPostgres: summary(learnPg),
      msRelabelPostgres: summary(relabelPg),
      msLoadAndFirstScore,
    });
  } finally {
    await pool.end();
    const admin = new pg.Client({ connectionString: server.toString() });
    await admin.connect();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}
console.log(JSON.stringify(result));
