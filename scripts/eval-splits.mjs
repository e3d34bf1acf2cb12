// Held-out measurement of the spam filter on labelled CSVs (`text,label`), through the same code as
// `reply-desk spam eval` (trainInMemory + evaluate): 5 stratified random 70/30 splits (seeds 0-4; a
// seeded shuffle of each class), pooled spam caught / blocked ham, mean MCC and its range; optionally a
// leave-one-group-out run (train on all groups but one, test on it), and the untrained filter on all.
//
//   node --import tsx scripts/eval-splits.mjs youtube=yt.csv sms=sms.csv email=sa.csv \
//     [--classifier-only email] [--groups youtube=psy.csv,katy.csv,...] [--sweep] [--json]
//
// --classifier-only NAME leaves out the content rules for that corpus (as `spam eval --classifier-only`);
// --sweep also prints, per corpus, what other hold thresholds would have done (the classifier's p
// against each value, with the content rules as they are), and the score's ROC AUC.
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { readLabelledCsv } from '../src/cli/spam-commands.ts';
import { countLinks } from '../src/domain/count-links.ts';
import { toSiteSettings } from '../src/domain/site-settings.ts';
import { checkComment, checkRules } from '../src/moderation/check-comment.ts';
import { classifierThresholds, spamClassifier } from '../src/moderation/rules/classifier-rule.ts';
import { evaluate, toEvalMetrics, trainInMemory } from '../src/spam/evaluate.ts';
import { scoreSpam } from '../src/spam/score-spam.ts';
import { createSpamModel, viewOf } from '../src/spam/spam-model.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'classifier-only': { type: 'string', multiple: true, default: [] },
    groups: { type: 'string', multiple: true, default: [] },
    seeds: { type: 'string', default: '0,1,2,3,4' },
    sweep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const seeds = values.seeds.split(',').map(Number);
const classifierOnly = new Set(values['classifier-only']);

// mulberry32: small, seeded, the same on every machine.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function shuffle(xs, rand) {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
function split(rows, seed, trainShare = 0.7) {
  const rand = rng(seed * 7919 + 1);
  const train = [];
  const test = [];
  for (const label of ['spam', 'ham']) {
    const xs = shuffle(
      rows.filter((r) => r.label === label),
      rand,
    );
    const k = Math.round(xs.length * trainShare);
    train.push(...xs.slice(0, k));
    test.push(...xs.slice(k));
  }
  return { train, test };
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const add = (a, m) => ({ tp: a.tp + m.tp, fp: a.fp + m.fp, tn: a.tn + m.tn, fn: a.fn + m.fn });

// What the rules other than the classifier decide, and the classifier's score, per test text: lets a
// sweep try other hold thresholds without re-running the rules. Mirrors evaluate.ts's offline context.
function scored(model, tests, onlyClassifier) {
  const view = viewOf(model);
  const rules = onlyClassifier ? [] : checkRules.filter((r) => r !== spamClassifier);
  return tests.map((t) => {
    const ctx = {
      fields: { page: 'eval', parentId: null, author: 'Reader', email: 'reader@example.org', url: '', body: t.text },
      honeypot: '',
      receivedAt: new Date(0),
      settings: toSiteSettings({ holdFirstTime: false }),
      page: { id: 0, closed: false, firstCommentAt: null },
      parent: null,
      duplicate: false,
      lastFromAuthorAt: null,
      authorHasApproved: true,
      ban: null,
      trusted: false,
      linkCount: countLinks(t.text),
      spamScore: null,
    };
    const ruled = rules.length > 0 && checkComment(ctx, rules).status !== 'approved';
    const s = scoreSpam(view, { body: t.text });
    return { spam: t.label === 'spam', ruled, p: s.trained ? s.pSpam : -1 };
  });
}
function auc(items) {
  const pos = items.filter((i) => i.spam).map((i) => i.p);
  const neg = items.filter((i) => !i.spam).map((i) => i.p);
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

const report = { corpora: {}, groups: {}, thresholds: classifierThresholds };
for (const arg of positionals) {
  const [name, file] = arg.split('=');
  const rows = await readLabelledCsv(file);
  const only = classifierOnly.has(name);
  let pooled = { tp: 0, fp: 0, tn: 0, fn: 0 };
  const mccs = [];
  const perSplit = [];
  const sweepItems = [];
  let ms = 0;
  for (const seed of seeds) {
    const { train, test } = split(rows, seed);
    const model = trainInMemory(train);
    const m = evaluate(model, test, undefined, only);
    pooled = add(pooled, m);
    mccs.push(m.mcc);
    ms += m.msPerComment / seeds.length;
    perSplit.push({ seed, caught: m.spamCaught, blockedHam: m.blockedHam, mcc: m.mcc });
    if (values.sweep) sweepItems.push(...scored(model, test, only));
  }
  const untrained = evaluate(createSpamModel(), rows, undefined, only);
  const r = {
    file: basename(file),
    n: rows.length,
    spam: rows.filter((x) => x.label === 'spam').length,
    classifierOnly: only,
    pooled: toEvalMetrics(pooled, ms),
    meanMcc: mccs.reduce((a, b) => a + b, 0) / mccs.length,
    minMcc: Math.min(...mccs),
    maxMcc: Math.max(...mccs),
    perSplit,
    untrainedBlockedHam: untrained.blockedHam,
  };
  if (values.sweep) {
    r.auc = auc(sweepItems);
    r.sweep = [0.5, 0.55, 0.57, 0.6, 0.62, 0.65, 0.7, 0.75, 0.8, 0.86].map((t) => {
      const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
      for (const i of sweepItems) {
        const blocked = i.ruled || i.p >= t;
        if (i.spam) blocked ? c.tp++ : c.fn++;
        else blocked ? c.fp++ : c.tn++;
      }
      const m = toEvalMetrics(c, 0);
      return { hold: t, caught: m.spamCaught, blockedHam: m.blockedHam, mcc: m.mcc };
    });
  }
  report.corpora[name] = r;
}

for (const arg of values.groups) {
  const [name, list] = arg.split('=');
  const files = list.split(',');
  const sets = await Promise.all(files.map((f) => readLabelledCsv(f)));
  const out = [];
  let pooled = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < files.length; i++) {
    const model = trainInMemory(sets.filter((_, j) => j !== i).flat());
    const m = evaluate(model, sets[i], undefined, classifierOnly.has(name));
    pooled = add(pooled, m);
    out.push({ test: basename(files[i]), caught: m.spamCaught, blockedHam: m.blockedHam, mcc: m.mcc });
  }
  report.groups[name] = {
    perGroup: out,
    pooled: toEvalMetrics(pooled, 0),
    meanMcc: out.reduce((a, b) => a + b.mcc, 0) / out.length,
  };
}

if (values.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(
    `hold at p >= ${classifierThresholds.hold}, spam at p >= ${classifierThresholds.spam}; seeds ${seeds.join(',')}`,
  );
  for (const [name, r] of Object.entries(report.corpora)) {
    const p = r.pooled;
    console.log(
      `${name} (${r.file}, ${r.n}, ${r.spam} spam${r.classifierOnly ? ', classifier only' : ''}): 70/30 x${seeds.length} pooled caught ${pct(p.spamCaught)}, blocked ham ${pct(p.blockedHam)} (${p.fp}/${p.fp + p.tn}), MCC mean ${r.meanMcc.toFixed(3)} (${r.minMcc.toFixed(3)}-${r.maxMcc.toFixed(3)}), pooled MCC ${p.mcc.toFixed(3)}; ${p.msPerComment} ms/comment; untrained blocked ham ${pct(r.untrainedBlockedHam)}`,
    );
    console.log(
      `  per split: ${r.perSplit.map((s) => `${pct(s.caught)}/${pct(s.blockedHam)}/${s.mcc.toFixed(3)}`).join('  ')}`,
    );
    if (r.sweep) {
      console.log(
        `  AUC ${r.auc.toFixed(4)}; hold sweep: ${r.sweep.map((s) => `${s.hold}: ${pct(s.caught)}/${pct(s.blockedHam)}/${s.mcc.toFixed(3)}`).join('  ')}`,
      );
    }
  }
  for (const [name, g] of Object.entries(report.groups)) {
    console.log(
      `${name} leave-one-out: mean MCC ${g.meanMcc.toFixed(3)}; pooled caught ${pct(g.pooled.spamCaught)}, blocked ham ${pct(g.pooled.blockedHam)}, MCC ${g.pooled.mcc.toFixed(3)}`,
    );
    console.log(
      `  ${g.perGroup.map((x) => `${x.test}: ${pct(x.caught)}/${pct(x.blockedHam)}/${x.mcc.toFixed(3)}`).join('  ')}`,
    );
  }
}
