// Speed of the spam classifier on this machine: median time to score one comment (featurise + score)
// and to learn one decision in memory, over a labelled CSV (default: the YouTube-style fixture).
// Run: node --import tsx scripts/bench-classifier.mjs [FILE.csv]
import { readLabelledCsv } from '../src/cli/spam-commands.ts';
import { trainInMemory } from '../src/spam/evaluate.ts';
import { featurise } from '../src/spam/features.ts';
import { scoreSpam } from '../src/spam/score-spam.ts';
import { learnExample, viewOf } from '../src/spam/spam-model.ts';

const file = process.argv[2] ?? new URL('../tests/fixtures/spam/youtube-comments.csv', import.meta.url).pathname;
const rows = await readLabelledCsv(file);
const model = trainInMemory(rows);
const view = viewOf(model);
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const score = [];
const learn = [];
for (let round = 0; round < 5; round++) {
  for (const r of rows) {
    let t = performance.now();
    scoreSpam(view, { body: r.text });
    score.push(performance.now() - t);
    t = performance.now();
    const ids = featurise({ body: r.text }).map((f) => f.id);
    learnExample(model, ids, r.label, 1);
    learnExample(model, ids, r.label, -1);
    learn.push((performance.now() - t) / 2);
  }
}
console.log(JSON.stringify({ file, comments: rows.length, medianMsScore: +median(score).toFixed(4), medianMsLearnInMemory: +median(learn).toFixed(4) }));
