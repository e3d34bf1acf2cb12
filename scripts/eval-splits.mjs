// Held-out measurement of the spam filter on labelled CSVs (`text,label`), through the same code as
// `reply-desk spam eval` (trainInMemory + evaluate): 5 stratified random 70/30 splits (seeds 0-4; a
// seeded shuffle of each class), pooled spam caught / blocked ham, mean MCC and its range; optionally a
// leave-one-group-out run (train on all groups but one, test on it), and the untrained filter on all.
//
//   node --import tsx scripts/eval-splits.mjs youtube=yt.csv sms=sms.csv email=sa.csv \
//     [--classifier-only email] [--groups youtube=psy.csv,katy.csv,...] [--sweep] [--json]
//
// --groups also replays each group as a site of its own (the shared model trained on the other groups,
// the site's decisions arriving in file order, each scored before it is learned: test-then-train), with
// the fixed hold threshold and with the site's calibrated one (src/spam/hold-calibration.ts, target
// --target, default the setting's 0.01), and prints each group's blocked ham and MCC, the worst beside
// the mean.
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
import { featurise } from '../src/spam/features.ts';
import { calibrateHold, holdCalibrationLimits } from '../src/spam/hold-calibration.ts';
import { createSpamModel, learnExample, viewOf } from '../src/spam/spam-model.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'classifier-only': { type: 'string', multiple: true, default: [] },
    groups: { type: 'string', multiple: true, default: [] },
    seeds: { type: 'string', default: '0,1,2,3,4' },
    target: { type: 'string', default: String(toSiteSettings({}).spamBlockedHamTarget) },
    'retrain-every': { type: 'string', default: '20' },
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
function offlineContext(text, spamScore, settings = {}) {
  return {
    fields: { page: 'eval', parentId: null, author: 'Reader', email: 'reader@example.org', url: '', body: text },
    honeypot: '',
    receivedAt: new Date(0),
    settings: toSiteSettings({ holdFirstTime: false, ...settings }),
    page: { id: 0, closed: false, firstCommentAt: null },
    parent: null,
    duplicate: false,
    lastFromAuthorAt: null,
    authorHasApproved: true,
    ban: null,
    trusted: false,
    linkCount: countLinks(text),
    spamScore,
  };
}
function scored(model, tests, onlyClassifier) {
  const view = viewOf(model);
  const rules = onlyClassifier ? [] : checkRules.filter((r) => r !== spamClassifier);
  return tests.map((t) => {
    const ctx = offlineContext(t.text, null);
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

/*
 * One group replayed as a site: its own model starts empty beside the shared one (the other groups), and
 * each comment, in file order (the UCI files keep the comments' chronological order), is checked by the
 * rules, then learned (every comment decided, as on a pre-moderated site). The layer is retrained every
 * `retrainEvery` decisions, as a worker's retrain policy keeps a layer a while (naive Bayes counts follow
 * every decision). `calibrated`: the classifier rule gets the site's samples so far (scores of its
 * approved comments taken before each was learned), as workers do from sql/0056.
 */
function replayAsSite(shared, rows, { calibrated, target, onlyClassifier, retrainEvery }) {
  const site = createSpamModel();
  const rules = onlyClassifier ? [spamClassifier] : checkRules;
  const hamScores = [];
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  // The comments after the site has enough samples to calibrate (the same ones in both modes: every
  // comment is learned whatever the verdict, so the scores do not depend on the threshold).
  const late = { tp: 0, fp: 0, tn: 0, fn: 0 };
  let layer = null;
  let trainedAt = -Infinity;
  const thresholds = [];
  rows.forEach((t, i) => {
    const fresh = viewOf(site, shared);
    const view = {
      ...fresh,
      cached(key, make) {
        if (layer === null || i - trainedAt >= retrainEvery) {
          layer = fresh.cached(key, make);
          trainedAt = i;
        }
        return layer;
      },
    };
    const features = featurise({ body: t.text });
    const score = scoreSpam(view, features);
    const spamScore = calibrated ? { ...score, recentHamScores: [...hamScores].sort((a, b) => a - b) } : score;
    const blocked =
      checkComment(offlineContext(t.text, spamScore, { spamBlockedHamTarget: target }), rules).status !== 'approved';
    for (const k of hamScores.length >= holdCalibrationLimits.minHamSamples ? [c, late] : [c]) {
      if (t.label === 'spam') blocked ? k.tp++ : k.fn++;
      else blocked ? k.fp++ : k.tn++;
    }
    if (calibrated) thresholds.push(calibrateHold(spamScore.recentHamScores, target, classifierThresholds).threshold);
    if (score.trained && t.label === 'ham') hamScores.push(score.pSpam);
    learnExample(
      site,
      features.map((f) => f.id),
      t.label,
    );
  });
  const m = toEvalMetrics(c, 0);
  return {
    caught: m.spamCaught,
    blockedHam: m.blockedHam,
    mcc: m.mcc,
    fp: m.fp,
    ham: m.fp + m.tn,
    finalHold: thresholds.at(-1) ?? null,
    late: ((l) => ({
      comments: late.tp + late.fp + late.tn + late.fn,
      caught: l.spamCaught,
      blockedHam: l.blockedHam,
      mcc: l.mcc,
      fp: l.fp,
      ham: l.fp + l.tn,
    }))(toEvalMetrics(late, 0)),
  };
}
const summary = (xs) => ({
  meanBlockedHam: xs.reduce((a, b) => a + b.blockedHam, 0) / xs.length,
  worstBlockedHam: Math.max(...xs.map((x) => x.blockedHam)),
  meanMcc: xs.reduce((a, b) => a + b.mcc, 0) / xs.length,
  worstMcc: Math.min(...xs.map((x) => x.mcc)),
  ...(xs[0]?.late
    ? {
        late: {
          meanBlockedHam: xs.reduce((a, b) => a + b.late.blockedHam, 0) / xs.length,
          worstBlockedHam: Math.max(...xs.map((x) => x.late.blockedHam)),
          meanMcc: xs.reduce((a, b) => a + b.late.mcc, 0) / xs.length,
          worstMcc: Math.min(...xs.map((x) => x.late.mcc)),
        },
      }
    : {}),
});

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
  const target = Number(values.target);
  const retrainEvery = Number(values['retrain-every']);
  const asSites = { fixed: [], calibrated: [] };
  for (let i = 0; i < files.length; i++) {
    const shared = trainInMemory(sets.filter((_, j) => j !== i).flat());
    for (const mode of ['fixed', 'calibrated']) {
      const r = replayAsSite(shared, sets[i], {
        calibrated: mode === 'calibrated',
        target,
        onlyClassifier: classifierOnly.has(name),
        retrainEvery,
      });
      asSites[mode].push({ test: basename(files[i]), ...r });
    }
  }
  report.groups[name] = {
    perGroup: out,
    pooled: toEvalMetrics(pooled, 0),
    meanMcc: out.reduce((a, b) => a + b.mcc, 0) / out.length,
    ...summary(out),
    asSites: {
      target,
      retrainEvery,
      fixed: { perGroup: asSites.fixed, ...summary(asSites.fixed) },
      calibrated: { perGroup: asSites.calibrated, ...summary(asSites.calibrated) },
    },
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
    console.log(
      `  blocked ham: mean ${pct(g.meanBlockedHam)}, worst ${pct(g.worstBlockedHam)}; MCC worst ${g.worstMcc.toFixed(3)}`,
    );
    const a = g.asSites;
    for (const mode of ['fixed', 'calibrated']) {
      const r = a[mode];
      console.log(
        `${name} as sites, test-then-train, ${mode === 'fixed' ? `hold fixed at ${classifierThresholds.hold}` : `hold calibrated (target ${pct(a.target)})`}: blocked ham mean ${pct(r.meanBlockedHam)}, worst ${pct(r.worstBlockedHam)}; MCC mean ${r.meanMcc.toFixed(3)}, worst ${r.worstMcc.toFixed(3)}`,
      );
      console.log(
        `  ${r.perGroup.map((x) => `${x.test}: ${pct(x.caught)}/${pct(x.blockedHam)} (${x.fp}/${x.ham})/${x.mcc.toFixed(3)}${x.finalHold === null ? '' : ` hold ${x.finalHold}`}`).join('  ')}`,
      );
      console.log(
        `  once the site has ${holdCalibrationLimits.minHamSamples} scored approvals: blocked ham mean ${pct(r.late.meanBlockedHam)}, worst ${pct(r.late.worstBlockedHam)}; MCC mean ${r.late.meanMcc.toFixed(3)}, worst ${r.late.worstMcc.toFixed(3)}; ${r.perGroup.map((x) => `${x.test}: ${x.late.comments} comments ${pct(x.late.caught)}/${pct(x.late.blockedHam)} (${x.late.fp}/${x.late.ham})/${x.late.mcc.toFixed(3)}`).join('  ')}`,
      );
    }
  }
}
