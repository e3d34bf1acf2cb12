import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { siteIdPattern, toOrigin, type Site, type SiteSettingsInput } from '../domain/site-settings.js';
import { newSiteSettings } from '../domain/site-form.js';
import type { Queryable } from '../store/db.js';
import { insertSite, listSites, updateSite } from '../store/sites.js';

/** A mistake in the command line: printed as one line, exit code 2. */
export class UsageError extends Error {}

const options = {
  name: { type: 'string' },
  origin: { type: 'string', multiple: true },
  settings: { type: 'string' },
} as const;

function parseOrigins(values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return values
    .flatMap((v) => v.split(','))
    .map((v) => {
      const origin = toOrigin(v.trim());
      if (origin === null) throw new UsageError(`--origin ${v}: not an http(s) origin such as https://example.org`);
      return origin;
    });
}

function parseSettings(value: string | undefined): SiteSettingsInput | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed;
  } catch {
    throw new UsageError(`--settings must be a JSON object, e.g. '{"requireEmail":false}'`);
  }
}

function describeSite(s: Site): string {
  return `${s.id}\t${s.name}\t${s.allowedOrigins.join(',') || '-'}\t${JSON.stringify(s.settings)}`;
}

function settingsProblem(err: unknown): never {
  if (err instanceof ZodError) {
    throw new UsageError(`invalid settings: ${err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  throw err;
}

/** `reply-desk site add|list|update`: prints what it did, one line per site. */
export async function runSiteCommand(db: Queryable, args: string[], print: (line: string) => void): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  if (sub === 'list') {
    for (const s of await listSites(db)) print(describeSite(s));
    return;
  }
  const id = positionals[0];
  if ((sub !== 'add' && sub !== 'update') || id === undefined) {
    throw new UsageError(
      'usage: reply-desk site add ID --name NAME --origin URL [--origin URL…] [--settings JSON] | site update ID [...] | site list',
    );
  }
  if (!siteIdPattern.test(id))
    throw new UsageError(`site id "${id}": use lowercase letters, digits, - and _ (at most 63)`);
  const allowedOrigins = parseOrigins(values.origin);
  const settings = parseSettings(values.settings);
  if (sub === 'add') {
    // A new site requires a form token unless --settings says otherwise (src/domain/site-form.ts).
    const created = await insertSite(db, {
      id,
      name: values.name ?? id,
      allowedOrigins: allowedOrigins ?? [],
      settings: { ...newSiteSettings, ...settings },
    }).catch(settingsProblem);
    if (!created) throw new UsageError(`site "${id}" exists already; use 'reply-desk site update ${id}'`);
    print(`created site ${id}`);
    return;
  }
  const updated = await updateSite(db, id, {
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(allowedOrigins !== undefined ? { allowedOrigins } : {}),
    ...(settings !== undefined ? { settings } : {}),
  }).catch(settingsProblem);
  if (updated === null) throw new UsageError(`no site "${id}"; create it with 'reply-desk site add ${id}'`);
  print(`updated site ${describeSite(updated)}`);
}
