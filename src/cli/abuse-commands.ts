import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { featuriseAbuse } from '../abuse/abuse-features.js';
import { trainAbuseModel } from '../abuse/abuse-store.js';
import { evaluateAbuse, trainAbuseInMemory, type AbuseText } from '../abuse/evaluate-abuse.js';
import { findLexiconWords } from '../abuse/lexicon.js';
import { toModelLabel } from '../abuse/score-abuse.js';
import type { Pool } from '../store/db.js';
import { UsageError } from './site-commands.js';
import { readTextLabelCsv } from './spam-commands.js';

/** Reads a CSV with a `text,label` header, label `abuse` or `ok`. */
export const readAbuseCsv = (path: string): Promise<AbuseText[]> => readTextLabelCsv(path, ['abuse', 'ok']);

const EVAL_USAGE =
  'usage: reply-desk abuse eval [--train TRAIN.csv] --test TEST.csv [--json] [--threshold PERCENT] [--no-lexicon]';

/**
 * `reply-desk abuse eval [--train F] --test F [--json]`: the abuse rule over each test text with a fresh
 * in-memory model trained on F (none: the lexicon alone); no database. `--threshold` is abuseThreshold.
 */
export async function runAbuseEval(args: string[], print: (line: string) => void): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      train: { type: 'string' },
      test: { type: 'string' },
      json: { type: 'boolean' },
      threshold: { type: 'string' },
      'no-lexicon': { type: 'boolean' },
    },
    strict: true,
  });
  if (values.test === undefined) throw new UsageError(EVAL_USAGE);
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined && !(Number.isInteger(threshold) && threshold >= 50 && threshold <= 99))
    throw new UsageError('--threshold: a whole percent from 50 to 99');
  const train = values.train === undefined ? [] : await readAbuseCsv(values.train);
  const test = await readAbuseCsv(values.test);
  const metrics = evaluateAbuse(trainAbuseInMemory(train), test, {
    settings: threshold === undefined ? {} : { abuseThreshold: threshold },
    withoutLexicon: values['no-lexicon'] === true,
  });
  if (values.json) {
    print(JSON.stringify(metrics));
    return;
  }
  const abusive = test.filter((t) => t.label === 'abuse').length;
  print(
    `trained on ${train.length} (${train.filter((t) => t.label === 'abuse').length} abuse), tested on ${test.length}`,
  );
  print(`abuse caught (held)   ${(metrics.caught * 100).toFixed(2)}%  (${metrics.tp} of ${abusive})`);
  print(`ok blocked (held)     ${(metrics.blockedOk * 100).toFixed(2)}%  (${metrics.fp} of ${test.length - abusive})`);
  print(`accuracy              ${(metrics.accuracy * 100).toFixed(2)}%`);
  print(`MCC                   ${metrics.mcc.toFixed(4)}`);
  print(`ms per comment        ${metrics.msPerComment.toFixed(3)}`);
}

/**
 * `reply-desk abuse train FILE --site ID`: seeds a site's abuse model from a labelled file, in batches.
 * Each line is an example keyed by its text, so seeding the same file again changes nothing and a line
 * whose label changed is relabelled (exactly, as a moderator's decision is).
 */
export async function runAbuseTrain(
  pool: Pool,
  args: string[],
  print: (line: string) => void,
  progress: (line: string) => void,
): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { site: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const file = positionals[0];
  if (file === undefined || values.site === undefined)
    throw new UsageError('usage: reply-desk abuse train FILE --site ID');
  const site = values.site;
  const { rowCount } = await pool.query('select 1 from sites where id = $1', [site]);
  if (!rowCount) throw new UsageError(`no site "${site}"`);
  const examples = await readAbuseCsv(file);
  const totals = { learned: 0, relabelled: 0, unchanged: 0 };
  const BATCH = 500;
  for (let i = 0; i < examples.length; i += BATCH) {
    const batch = examples.slice(i, i + BATCH).map((e) => ({
      example: `text:${createHash('sha256').update(e.text).digest('hex').slice(0, 32)}`,
      label: toModelLabel(e.label),
      features: featuriseAbuse({ body: e.text }, findLexiconWords(e.text)).map((f) => f.id),
    }));
    const r = await trainAbuseModel(pool, site, batch);
    totals.learned += r.learned;
    totals.relabelled += r.relabelled;
    totals.unchanged += r.unchanged;
    progress(`trained ${Math.min(i + BATCH, examples.length)} of ${examples.length}`);
  }
  print(`site ${site}: learned ${totals.learned}, relabelled ${totals.relabelled}, unchanged ${totals.unchanged}`);
}
