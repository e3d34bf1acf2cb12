import type { Queryable } from '../store/db.js';
import { createSpamModel, viewOf, type SpamModel, type SpamModelView } from './spam-model.js';
import { loadSpamModelChanges, SHARED_MODEL } from './spam-store.js';

/** A worker's copy of the stored models, kept fresh. */
export interface SpamModels {
  /** The site's model plus the shared one, at most `refreshMs` old. */
  viewFor(siteId: string): Promise<SpamModelView>;
}

interface Entry {
  model: SpamModel;
  version: number;
  checkedAt: number;
  refreshing: Promise<void> | null;
}

/**
 * Keeps each model in memory and, at most every `refreshMs`, asks Postgres for the rows changed since
 * the version it has (one indexed query; usually none). So every worker process picks up a moderator's
 * decision within about `refreshMs`, with no pub/sub to miss and nothing to do when nothing changed.
 * A failed refresh rejects, so the submission job is retried like any other database error.
 */
export function createSpamModels(db: Queryable, opts: { refreshMs?: number; now?: () => number } = {}): SpamModels {
  const refreshMs = opts.refreshMs ?? 1000;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();

  async function refresh(name: string, entry: Entry): Promise<void> {
    const changes = await loadSpamModelChanges(db, name, entry.version);
    if (changes === null) {
      entry.model = createSpamModel();
      entry.version = 0;
    } else if (changes.version < entry.version) {
      // The model was dropped and recreated: start again from nothing.
      entry.version = -1;
      entry.model = createSpamModel();
      return refresh(name, entry);
    } else {
      entry.model.spamDocs = changes.spamDocs;
      entry.model.hamDocs = changes.hamDocs;
      entry.model.spamFeatures = changes.spamFeatures;
      entry.model.hamFeatures = changes.hamFeatures;
      for (const f of changes.features) {
        if (f.spam > 0) entry.model.spam.set(f.id, f.spam);
        else entry.model.spam.delete(f.id);
        if (f.ham > 0) entry.model.ham.set(f.id, f.ham);
        else entry.model.ham.delete(f.id);
      }
      entry.version = changes.version;
    }
    entry.checkedAt = now();
  }

  async function fresh(name: string): Promise<SpamModel> {
    let entry = entries.get(name);
    if (!entry) {
      entry = { model: createSpamModel(), version: -1, checkedAt: -Infinity, refreshing: null };
      entries.set(name, entry);
    }
    if (now() - entry.checkedAt >= refreshMs) {
      const e = entry;
      // Concurrent jobs of one site share one refresh.
      e.refreshing ??= refresh(name, e).finally(() => (e.refreshing = null));
      await e.refreshing;
    }
    return entry.model;
  }

  return {
    async viewFor(siteId) {
      const [site, shared] = await Promise.all([fresh(siteId), fresh(SHARED_MODEL)]);
      return shared.spamDocs + shared.hamDocs === 0 ? viewOf(site) : viewOf(site, shared);
    },
  };
}
