import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { siteIdPattern, toOrigin, type Site, type SiteSettingsInput } from '../domain/site-settings.js';
import { newSiteSettings } from '../domain/site-form.js';
import { generateSsoSecret, getSsoSecret, setSsoSecret, SSO_SECRET_MIN } from '../readers/sso-secrets.js';
import type { Queryable } from '../store/db.js';
import { insertSite, listSites, loadSite, updateSite } from '../store/sites.js';

/** A mistake in the command line: printed as one line, exit code 2. */
export class UsageError extends Error {}

const options = {
  name: { type: 'string' },
  origin: { type: 'string', multiple: true },
  settings: { type: 'string' },
  'sso-secret': { type: 'string' },
} as const;

/**
 * What `--sso-secret` asks for: a secret typed by the admin (at least 32 characters, at most what
 * the table keeps, no whitespace: a pasted line break would make every host token fail), `generate`
 * (a new random one) or `none` (remove it: SSO is off until a new one is set).
 */
function parseSsoSecret(value: string | undefined): { secret: string | null; generated: boolean } | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return { secret: null, generated: false };
  if (value === 'generate') return { secret: generateSsoSecret(), generated: true };
  if (value.length < SSO_SECRET_MIN || value.length > 512 || /[\s\u0000-\u001f\u007f]/.test(value))
    throw new UsageError(
      `--sso-secret: give at least ${SSO_SECRET_MIN} characters (at most 512, no spaces), or 'generate', or 'none'`,
    );
  return { secret: value, generated: false };
}

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

/** `reply-desk site add|list|show|update`: prints what it did, one line per site. Never an SSO secret but the one just generated. */
export async function runSiteCommand(db: Queryable, args: string[], print: (line: string) => void): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  if (sub === 'list') {
    for (const s of await listSites(db)) print(describeSite(s));
    return;
  }
  const id = positionals[0];
  if (sub === 'show' && id !== undefined) {
    const site = await loadSite(db, id);
    if (site === null) throw new UsageError(`no site "${id}"`);
    print(describeSite(site));
    // Whether there is one, never what it is: this line ends up in terminals' scrollback and in tickets.
    print(`sso secret: ${(await getSsoSecret(db, id)) === null ? 'none' : 'set'}`);
    return;
  }
  if ((sub !== 'add' && sub !== 'update') || id === undefined) {
    throw new UsageError(
      'usage: reply-desk site add ID --name NAME --origin URL [--origin URL…] [--settings JSON] | site update ID [...] | site show ID | site list',
    );
  }
  if (sub === 'add' && values['sso-secret'] !== undefined)
    throw new UsageError(`--sso-secret is for 'reply-desk site update ${id}', once the site exists`);
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
  const sso = parseSsoSecret(values['sso-secret']);
  const changesSite = values.name !== undefined || allowedOrigins !== undefined || settings !== undefined;
  const updated =
    changesSite || sso === undefined
      ? await updateSite(db, id, {
          ...(values.name !== undefined ? { name: values.name } : {}),
          ...(allowedOrigins !== undefined ? { allowedOrigins } : {}),
          ...(settings !== undefined ? { settings } : {}),
        }).catch(settingsProblem)
      : await loadSite(db, id);
  if (updated === null) throw new UsageError(`no site "${id}"; create it with 'reply-desk site add ${id}'`);
  if (changesSite || sso === undefined) print(`updated site ${describeSite(updated)}`);
  if (sso !== undefined) {
    await setSsoSecret(db, { siteId: id, secret: sso.secret, actorId: null, actor: 'cli' });
    if (sso.secret === null) print(`removed the SSO secret of site ${id}: sign-in with the host's accounts is off`);
    else if (sso.generated)
      // Printed this once, to stdout alone, for the admin to put in the host site's configuration.
      print(`new SSO secret of site ${id} (shown once; sign the host's tokens with it):\n${sso.secret}`);
    else print(`set the SSO secret of site ${id}`);
  }
}
