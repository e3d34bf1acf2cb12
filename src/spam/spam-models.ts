import type { Queryable } from '../store/db.js';
import { createSpamModel, touchSpamModel, viewOf, type SpamModel, type SpamModelView } from './spam-model.js';
import { loadRecentHamScores } from './calibration-store.js';
import { loadSpamModelChanges, loadSpamTrainingChanges, SHARED_MODEL, type ModelTables } from './spam-store.js';

/** A worker's copy of the stored models, kept fresh. */
export interface SpamModels {
  /** The site's model plus the shared one, with the site's calibration samples, at most `refreshMs` old. */
  viewFor(siteId: string): Promise<SpamModelView>;
}

/** Options of createSpamModels; tests pass small values. */
export interface SpamModelsOptions {
  /**
   * How often a model is checked for changes.
   * @defaultValue 1000
   */
  refreshMs?: number;
  /**
   * A changed model's layer is trained again once this many times its last training time has passed
   * since that training, so retraining takes at most about 1/factor of a worker's time however busy
   * its moderators are; until then the layer of the previous examples scores, with the fresh counts.
   * 0 trains again on every change (the layer is then always exactly that of the stored examples).
   * @defaultValue 20
   */
  retrainFactor?: number;
  now?: () => number;
  /**
   * Which store's models (another learner of the same shape: the abuse filter's).
   * @defaultValue spamTables
   */
  tables?: ModelTables;
  /**
   * Add the shared model to every site's (the abuse filter has none: what is abusive is the site's call).
   * @defaultValue true
   */
  shared?: boolean;
}

interface Entry {
  model: SpamModel;
  /** A site's calibration samples (none for the shared model), read again with each new version. */
  hamScores: readonly number[];
  version: number;
  checkedAt: number;
  refreshing: Promise<void> | null;
}

/**
 * Keeps each model in memory and, at most every `refreshMs`, asks Postgres for the rows changed since
 * the version it has (one indexed query; usually none), then for the examples changed up to the same
 * version (their layer is trained from them). So every worker process picks up a moderator's decision
 * within about `refreshMs`, with no pub/sub to miss and nothing to do when nothing changed. A failed
 * refresh rejects, so the submission job is retried like any other database error.
 */
export function createSpamModels(db: Queryable, opts: SpamModelsOptions = {}): SpamModels {
  const refreshMs = opts.refreshMs ?? 1000;
  const retrainFactor = opts.retrainFactor ?? 20;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();
  // Per site: the values its views cached (the layer), when each was made and how long that took.
  const made = new Map<
    string,
    { site: SpamModel; shared: SpamModel | null; values: Map<string, { value: unknown; at: number; took: number }> }
  >();

  async function refresh(name: string, entry: Entry): Promise<void> {
    const changes = await loadSpamModelChanges(db, name, entry.version, opts.tables);
    if (changes === null) {
      if (entry.version !== 0) {
        entry.model = createSpamModel();
        entry.hamScores = [];
        entry.version = 0;
      }
    } else if (changes.version < entry.version) {
      // The model was dropped and recreated: start again from nothing.
      entry.version = -1;
      entry.model = createSpamModel();
      entry.hamScores = [];
      return refresh(name, entry);
    } else if (changes.version !== entry.version) {
      const m = entry.model;
      m.spamDocs = changes.spamDocs;
      m.hamDocs = changes.hamDocs;
      m.spamFeatures = changes.spamFeatures;
      m.hamFeatures = changes.hamFeatures;
      for (const f of changes.features) {
        if (f.spam > 0) m.spam.set(f.id, f.spam);
        else m.spam.delete(f.id);
        if (f.ham > 0) m.ham.set(f.id, f.ham);
        else m.ham.delete(f.id);
      }
      const examples = await loadSpamTrainingChanges(db, name, entry.version, changes.version, opts.tables);
      for (const example of examples.forgotten) m.examples.delete(example);
      for (const e of examples.examples) m.examples.set(e.example, { label: e.label, features: e.features, count: 1 });
      touchSpamModel(m);
      entry.version = changes.version;
      // The training worker writes a decision's sample before learning it: this version has it.
      // Only the spam models are calibrated (src/spam/hold-calibration.ts), not the abuse ones.
      if (name !== SHARED_MODEL && opts.tables === undefined) entry.hamScores = await loadRecentHamScores(db, name);
    }
    entry.checkedAt = now();
  }

  async function fresh(name: string): Promise<Entry> {
    let entry = entries.get(name);
    if (!entry) {
      entry = { model: createSpamModel(), hamScores: [], version: -1, checkedAt: -Infinity, refreshing: null };
      entries.set(name, entry);
    }
    if (now() - entry.checkedAt >= refreshMs) {
      const e = entry;
      // Concurrent jobs of one site share one refresh.
      e.refreshing ??= refresh(name, e).finally(() => (e.refreshing = null));
      await e.refreshing;
    }
    return entry;
  }

  /*
   * A view whose cached values (the layer) may outlive a change of its models for a while: see
   * retrainFactor. When a model is recreated its object is replaced, and the cache starts afresh.
   */
  function withRetrainPolicy(
    siteId: string,
    view: SpamModelView,
    site: SpamModel,
    shared: SpamModel | null,
  ): SpamModelView {
    let m = made.get(siteId);
    if (!m || m.site !== site || m.shared !== shared) {
      m = { site, shared, values: new Map() };
      made.set(siteId, m);
    }
    const values = m.values;
    return {
      ...view,
      cached<T>(key: string, make: () => T): T {
        const known = values.get(key);
        // Too soon to train again: keep the last layer, even if the models changed since.
        if (known && now() - known.at < known.took * retrainFactor) return known.value as T;
        let took: number | null = null;
        // view.cached makes the value again only if a model changed since it last did.
        const value = view.cached(key, () => {
          const started = performance.now();
          const v = make();
          took = performance.now() - started;
          return v;
        });
        if (took !== null || !known) values.set(key, { value, at: now(), took: took ?? 0 });
        return value;
      },
    };
  }

  return {
    async viewFor(siteId) {
      const [siteEntry, sharedEntry] = await Promise.all([
        fresh(siteId),
        opts.shared === false ? null : fresh(SHARED_MODEL),
      ]);
      const site = siteEntry.model;
      const shared = sharedEntry?.model ?? createSpamModel();
      const withShared = shared.spamDocs + shared.hamDocs > 0;
      const view = withShared ? viewOf(site, shared) : viewOf(site);
      return {
        ...withRetrainPolicy(siteId, view, site, withShared ? shared : null),
        recentHamScores: siteEntry.hamScores,
      };
    },
  };
}
