// Held-out measurement of the abuse filter on a labelled CSV (`text,label`, label abuse or ok), through
// the same code as `reply-desk abuse eval` (trainAbuseInMemory + evaluateAbuse): stratified k-fold cross
// validation (a seeded shuffle of each class; every line is tested once), the counts pooled over the
// folds. Beside the filter (lexicon + learned model), the same folds measure the lexicon alone, the
// learned model alone, and a plain baseline: logistic regression on word 1–2-grams (binary, SGD).
//
//   node --import tsx scripts/abuse-folds.mjs corpus.csv [--folds 5] [--seed 0] [--threshold 90] [--json]
import { parseArgs } from 'node:util';
import { readAbuseCsv } from '../src/cli/abuse-commands.ts';
import { normalizeText } from '../src/domain/normalize-text.ts';
import { evaluateAbuse, trainAbuseInMemory } from '../src/abuse/evaluate-abuse.ts';
import { toEvalMetrics } from '../src/spam/evaluate.ts';
import { createSpamModel } from '../src/spam/spam-model.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    folds: { type: 'string', default: '5' },
    seed: { type: 'string', default: '0' },
    threshold: { type: 'string', default: '90' },
    json: { type: 'boolean', default: false },
  },
});
const file = positionals[0];
if (file === undefined) throw new Error('usage: node --import tsx scripts/abuse-folds.mjs corpus.csv [--folds 5]');
const k = Number(values.folds);
const settings = { abuseThreshold: Number(values.threshold) };

// Mulberry32: a small seeded generator, so the folds are the same on every run.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function shuffled(items, next) {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

const grams = (text) => {
  const w = normalizeText(text).split(' ').filter(Boolean);
  const out = new Set(w);
  for (let i = 0; i + 1 < w.length; i++) out.add(`${w[i]} ${w[i + 1]}`);
  return [...out];
};

/**
 * The baseline: logistic regression on binary word 1–2-grams, 10 SGD epochs, each class weighed by
 * n / (2 · its count) so the majority class does not decide alone, held at p ≥ 0.5.
 */
function baseline(train, test, next) {
  const w = new Map();
  let bias = 0;
  const rows = train.map((t) => ({ x: grams(t.text), y: t.label === 'abuse' ? 1 : 0 }));
  const positives = rows.filter((r) => r.y === 1).length;
  const weight = [rows.length / (2 * Math.max(1, rows.length - positives)), rows.length / (2 * Math.max(1, positives))];
  for (let epoch = 0; epoch < 10; epoch++) {
    for (const r of shuffled(rows, next)) {
      let z = bias;
      for (const g of r.x) z += w.get(g) ?? 0;
      const e = (1 / (1 + Math.exp(-z)) - r.y) * weight[r.y];
      for (const g of r.x) w.set(g, (w.get(g) ?? 0) * (1 - 1e-4) - 0.1 * e);
      bias -= 0.1 * e;
    }
  }
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  const started = performance.now();
  for (const t of test) {
    let z = bias;
    for (const g of grams(t.text)) z += w.get(g) ?? 0;
    const held = z >= 0;
    if (t.label === 'abuse') held ? c.tp++ : c.fn++;
    else held ? c.fp++ : c.tn++;
  }
  return { ...c, ms: performance.now() - started };
}

const all = await readAbuseCsv(file);
const next = random(Number(values.seed));
const byClass = ['abuse', 'ok'].map((label) =>
  shuffled(
    all.filter((t) => t.label === label),
    next,
  ),
);
const fold = new Map();
for (const members of byClass) members.forEach((t, i) => fold.set(t, i % k));

const runs = {
  'lexicon alone': () => (train, test) => evaluateAbuse(createSpamModel(), test, { settings }),
  'learned model alone': () => (train, test) =>
    evaluateAbuse(trainAbuseInMemory(train), test, { settings, withoutLexicon: true }),
  'abuse filter (lexicon + model)': () => (train, test) => evaluateAbuse(trainAbuseInMemory(train), test, { settings }),
  'baseline: logistic regression, word 1-2-grams, classes weighed': () => (train, test) => {
    const r = baseline(train, test, next);
    return { ...r, msPerComment: r.ms / test.length };
  },
};
const results = {};
for (const [name, make] of Object.entries(runs)) {
  const run = make();
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  const mccs = [];
  let ms = 0;
  for (let f = 0; f < k; f++) {
    const train = all.filter((t) => fold.get(t) !== f);
    const test = all.filter((t) => fold.get(t) === f);
    const m = run(train, test);
    for (const key of ['tp', 'fp', 'tn', 'fn']) c[key] += m[key];
    mccs.push(toEvalMetrics(m, 0).mcc);
    ms += m.msPerComment * test.length;
  }
  const pooled = toEvalMetrics(c, ms / all.length);
  results[name] = {
    ...c,
    caught: pooled.spamCaught,
    blockedOk: pooled.blockedHam,
    mcc: pooled.mcc,
    mccMin: Math.min(...mccs),
    mccMax: Math.max(...mccs),
    msPerComment: pooled.msPerComment,
  };
}
if (values.json) console.log(JSON.stringify(results));
else {
  const abuse = all.filter((t) => t.label === 'abuse').length;
  console.log(
    `${file}: ${all.length} lines (${abuse} abuse, ${all.length - abuse} ok), ${k} folds, threshold ${settings.abuseThreshold}%`,
  );
  console.log('| run | caught | blocked ok | MCC (pooled) | MCC range over folds | ms/comment |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [name, r] of Object.entries(results))
    console.log(
      `| ${name} | ${(r.caught * 100).toFixed(1)}% | ${(r.blockedOk * 100).toFixed(1)}% (${r.fp} of ${r.fp + r.tn}) | ${r.mcc.toFixed(3)} | ${r.mccMin.toFixed(3)}–${r.mccMax.toFixed(3)} | ${r.msPerComment.toFixed(2)} |`,
    );
}
