import type { Pool, Queryable } from '../store/db.js';
import { createSpamModels, type SpamModels, type SpamModelsOptions } from '../spam/spam-models.js';
import { trainSpamModel, type ModelTables, type TrainingExample, type TrainingResult } from '../spam/spam-store.js';

/** The abuse filter's tables (sql/0052): the spam store's shape, with classes `abuse` and `ok`. */
export const abuseTables: ModelTables = { prefix: 'abuse', positive: 'abuse', negative: 'ok' };

/** Learns (or forgets) examples into a site's abuse model; labels as the model names them (toModelLabel). */
export function trainAbuseModel(
  pool: Pool,
  siteId: string,
  examples: readonly TrainingExample[],
): Promise<TrainingResult> {
  return trainSpamModel(pool, siteId, examples, abuseTables);
}

/**
 * A worker's copy of the sites' abuse models, kept fresh like the spam models. No shared model: what a
 * desk calls abusive is its own house rule.
 */
export function createAbuseModels(db: Queryable, opts: SpamModelsOptions = {}): SpamModels {
  return createSpamModels(db, { ...opts, tables: abuseTables, shared: false });
}
