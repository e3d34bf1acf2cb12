import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { classifierThresholds } from '../moderation/rules/classifier-rule.js';
import { evaluate, trainInMemory, type EvalMetrics, type LabelledText } from '../spam/evaluate.js';
import { featurise } from '../spam/features.js';
import { SHARED_MODEL, trainSpamModel } from '../spam/spam-store.js';
import type { Pool } from '../store/db.js';
import { UsageError } from './site-commands.js';

/** Reads a CSV with a header into records; quoted fields may hold commas and newlines. */
export async function readCsvRecords(path: string): Promise<Record<string, string>[]> {
  try {
    return parse(await readFile(path), {
      columns: true,
      skip_empty_lines: true,
      bom: true,
      relax_column_count: true,
    });
  } catch (err) {
    throw new UsageError(`${path}: ${(err as Error).message}`);
  }
}

/** Reads a CSV with a `text,label` header whose labels are one of `labels` (any case). */
export async function readTextLabelCsv<L extends string>(
  path: string,
  labels: readonly [L, L],
): Promise<{ text: string; label: L }[]> {
  const records = await readCsvRecords(path);
  return records.map((r, i) => {
    const label = (r.label ?? '').trim().toLowerCase();
    if (typeof r.text !== 'string' || !(labels as readonly string[]).includes(label)) {
      throw new UsageError(`${path}: line ${i + 2}: needs the columns text,label with label ${labels.join(' or ')}`);
    }
    return { text: r.text, label: label as L };
  });
}

/** Reads a CSV with a `text,label` header (label spam or ham). */
export const readLabelledCsv = (path: string): Promise<LabelledText[]> => readTextLabelCsv(path, ['spam', 'ham']);

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** The human-readable table `spam eval` prints without --json. */
export function formatEvalTable(m: EvalMetrics): string {
  const rows: [string, string][] = [
    ['spam caught (blocked spam)', `${pct(m.spamCaught)}  (${m.tp} of ${m.tp + m.fn})`],
    ['blocked ham (held or spam)', `${pct(m.blockedHam)}  (${m.fp} of ${m.fp + m.tn})`],
    ['accuracy', pct(m.accuracy)],
    ['MCC', m.mcc.toFixed(4)],
    ['ms per comment', m.msPerComment.toFixed(3)],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  return [
    `              blocked   published`,
    `spam     ${String(m.tp).padStart(12)}${String(m.fn).padStart(12)}`,
    `ham      ${String(m.fp).padStart(12)}${String(m.tn).padStart(12)}`,
    '',
    ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`),
  ].join('\n');
}

/**
 * `reply-desk spam eval [--train TRAIN.csv] --test TEST.csv [--json]`: a fresh in-memory model, no
 * database. Progress goes to stderr so --json's stdout stays one object.
 */
export async function runSpamEval(
  args: string[],
  print: (line: string) => void,
  progress: (line: string) => void,
): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      train: { type: 'string' },
      test: { type: 'string' },
      json: { type: 'boolean' },
      'classifier-only': { type: 'boolean' },
    },
    strict: true,
  });
  if (values.test === undefined)
    throw new UsageError(
      'usage: reply-desk spam eval [--train TRAIN.csv] --test TEST.csv [--json] [--classifier-only]',
    );
  const train = values.train === undefined ? [] : await readLabelledCsv(values.train);
  const test = await readLabelledCsv(values.test);
  const model = trainInMemory(train, (n) => progress(`trained ${n} of ${train.length}`));
  const metrics = evaluate(
    model,
    test,
    (n) => progress(`checked ${n} of ${test.length}`),
    values['classifier-only'] === true,
  );
  if (values.json) {
    print(JSON.stringify(metrics));
    return;
  }
  print(
    `trained on ${train.length} (${train.filter((t) => t.label === 'spam').length} spam), tested on ${test.length}; hold at p ≥ ${classifierThresholds.hold}, spam at p ≥ ${classifierThresholds.spam}`,
  );
  print(formatEvalTable(metrics));
}

/**
 * `reply-desk spam train FILE --site ID | --shared`: seeds a model from a labelled file, in batches.
 * Each line is an example keyed by its text, so seeding the same file again changes nothing and a
 * line whose label changed is relabelled.
 */
export async function runSpamTrain(
  pool: Pool,
  args: string[],
  print: (line: string) => void,
  progress: (line: string) => void,
): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { site: { type: 'string' }, shared: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const file = positionals[0];
  if (file === undefined || (values.site === undefined) === (values.shared !== true)) {
    throw new UsageError('usage: reply-desk spam train FILE --site ID | --shared');
  }
  const model = values.shared ? SHARED_MODEL : (values.site as string);
  if (!values.shared) {
    const { rowCount } = await pool.query('select 1 from sites where id = $1', [model]);
    if (!rowCount) throw new UsageError(`no site "${model}"`);
  }
  const examples = await readLabelledCsv(file);
  const totals = { learned: 0, relabelled: 0, unchanged: 0 };
  const BATCH = 500;
  for (let i = 0; i < examples.length; i += BATCH) {
    const batch = examples.slice(i, i + BATCH).map((e) => ({
      example: `text:${createHash('sha256').update(e.text).digest('hex').slice(0, 32)}`,
      label: e.label,
      features: featurise({ body: e.text }).map((f) => f.id),
    }));
    const r = await trainSpamModel(pool, model, batch);
    totals.learned += r.learned;
    totals.relabelled += r.relabelled;
    totals.unchanged += r.unchanged;
    progress(`trained ${Math.min(i + BATCH, examples.length)} of ${examples.length}`);
  }
  print(
    `${values.shared ? 'shared model' : `site ${model}`}: learned ${totals.learned}, relabelled ${totals.relabelled}, unchanged ${totals.unchanged}`,
  );
}
