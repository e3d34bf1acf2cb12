import type { Queryable } from '../store/db.js';
import { callCheckHook } from './call-check-hook.js';
import type { CheckHookRequest } from './check-hook-request.js';
import { listCheckHooks, type CheckHook } from './check-hook-store.js';
import type { ExternalCheck } from './external-check.js';

/** The worker's way to the sites' check hooks. */
export interface ExternalChecker {
  /**
   * The answer of the site's hook about one comment, or null when the site has none. Rejects only when
   * the hooks cannot be read from Postgres (the job is then retried like any database error).
   */
  check(siteId: string, request: CheckHookRequest): Promise<ExternalCheck | null>;
}

export interface ExternalCheckerOptions {
  /** WEBHOOK_ALLOW_PRIVATE: hooks on private and loopback addresses are allowed (intranets, tests). */
  allowPrivate: boolean;
  /** A hook's timeout when it has none of its own (CHECK_HOOK_TIMEOUT_MS). */
  defaultTimeoutMs: number;
  /**
   * How old the worker's copy of the hooks may get: a hook set or cleared reaches every worker within
   * about this long. @defaultValue 1000
   */
  refreshMs?: number;
  now?: () => number;
}

/**
 * Keeps every site's hook in memory (there are few), reloaded from Postgres at most every `refreshMs`
 * when a comment is checked, so a site without a hook costs no query per comment. Concurrent jobs share
 * one reload.
 */
export function createExternalChecker(db: Queryable, opts: ExternalCheckerOptions): ExternalChecker {
  const refreshMs = opts.refreshMs ?? 1000;
  const now = opts.now ?? Date.now;
  let hooks = new Map<string, CheckHook>();
  let loadedAt = -Infinity;
  let loading: Promise<void> | null = null;

  const fresh = async (): Promise<void> => {
    if (now() - loadedAt < refreshMs) return;
    loading ??= listCheckHooks(db)
      .then((list) => {
        hooks = new Map(list.map((h) => [h.siteId, h]));
        loadedAt = now();
      })
      .finally(() => {
        loading = null;
      });
    await loading;
  };

  return {
    async check(siteId, request) {
      await fresh();
      const hook = hooks.get(siteId);
      if (hook === undefined) return null;
      return callCheckHook(
        {
          url: hook.url,
          secret: hook.secret,
          timeoutMs: hook.timeoutMs ?? opts.defaultTimeoutMs,
          allowPrivate: opts.allowPrivate,
          nowSeconds: Math.floor(now() / 1000),
        },
        request,
      );
    },
  };
}
