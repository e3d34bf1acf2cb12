import { parseArgs } from 'node:util';
import { readCheckHookInput } from '../../hooks/check-hook-input.js';
import { clearCheckHook, loadCheckHook, setCheckHook } from '../../hooks/check-hook-store.js';
import type { Queryable } from '../../store/db.js';
import { loadSite } from '../../store/sites.js';
import { newWebhookSecret } from '../../webhooks/webhook-signature.js';
import { UsageError } from '../site-commands.js';

export const checkHookOptions = {
  site: { type: 'string' },
  url: { type: 'string' },
  'timeout-ms': { type: 'string' },
  'new-secret': { type: 'boolean' },
} as const;

const CLI = { id: null, label: 'cli' };

/**
 * `reply-desk site hook set --site ID --url URL [--timeout-ms N] [--new-secret]`, `site hook clear --site
 * ID`, `site hook show --site ID`: a site's external check hook (issue 17, item 5), checked as the admin
 * page checks it, audited as the command line. The secret is printed once, when it is made (a new hook,
 * or --new-secret); `show` never prints it.
 */
export async function runCheckHookCommand(db: Queryable, args: string[], print: (line: string) => void): Promise<void> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({ args: rest, options: checkHookOptions, strict: true });
  const siteId = values.site;
  if (siteId === undefined) throw new UsageError(`usage: reply-desk site hook ${sub ?? 'show'} --site ID …`);
  if ((await loadSite(db, siteId)) === null) throw new UsageError(`no site "${siteId}"`);
  if (sub === 'show') {
    const hook = await loadCheckHook(db, siteId);
    if (hook === null) return print(`site ${siteId} has no check hook`);
    print(`url\t${hook.url}`);
    print(`timeout\t${hook.timeoutMs === null ? 'CHECK_HOOK_TIMEOUT_MS' : `${hook.timeoutMs} ms`}`);
    print(`since\t${hook.createdAt.toISOString()} (changed ${hook.updatedAt.toISOString()})`);
    return;
  }
  if (sub === 'set') {
    const read = readCheckHookInput({ url: values.url, timeoutMs: values['timeout-ms'] });
    if (!read.ok)
      throw new UsageError(`--${read.problem.field === 'url' ? 'url' : 'timeout-ms'}: ${read.problem.message}`);
    const { hook, secretChanged } = await setCheckHook(
      db,
      { siteId, ...read.hook, newSecret: newWebhookSecret(), replaceSecret: values['new-secret'] === true },
      CLI,
    );
    print(`check hook of ${siteId}: ${hook.url}`);
    if (secretChanged) print(`signing secret (shown once; give it to the hook): ${hook.secret}`);
    else print('signing secret unchanged (--new-secret makes a new one)');
    return;
  }
  if (sub === 'clear') {
    print(
      (await clearCheckHook(db, siteId, CLI)) ? `check hook of ${siteId} cleared` : `site ${siteId} had no check hook`,
    );
    return;
  }
  throw new UsageError('usage: reply-desk site hook set|clear|show --site ID …');
}
