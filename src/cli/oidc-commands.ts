import { parseArgs } from 'node:util';
import {
  checkOidcProvider,
  listOidcProviders,
  PROVIDER_ID,
  removeOidcProvider,
  saveOidcProvider,
} from '../readers/oidc-client.js';
import type { Queryable } from '../store/db.js';
import { loadSite } from '../store/sites.js';
import { readPassword } from './read-password.js';
import { UsageError } from './site-commands.js';

/** The CLI's changes are audited as the other CLI commands' are: no moderator, actor `cli`. */
const CLI_ACTOR = { actorId: null, actor: 'cli' };

/** The options of `site oidc add` (and `remove`'s --provider). */
export const oidcAddOptions = {
  provider: { type: 'string' },
  name: { type: 'string' },
  issuer: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
} as const;

async function siteId(db: Queryable, id: string | undefined): Promise<string> {
  if (id === undefined) throw new UsageError('name the site: reply-desk site oidc SUB ID …');
  if ((await loadSite(db, id)) === null) throw new UsageError(`no site "${id}"`);
  return id;
}

/**
 * `reply-desk site oidc add|remove|list ID …`: a site's OpenID Connect providers (issue 14). `add`
 * with an existing --provider changes it; the client secret is never printed (list says only whether
 * one is set).
 */
export async function runOidcCommand(
  db: Queryable,
  args: string[],
  print: (line: string) => void,
  // `--client-secret -`: the secret from a prompt or stdin, so it is not in shell history or `ps`.
  readSecret: () => Promise<string> = () => readPassword('Client secret: '),
): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: oidcAddOptions,
    allowPositionals: true,
    strict: true,
  });
  const id = await siteId(db, positionals[0]);
  if (sub === 'list') {
    for (const p of await listOidcProviders(db, id))
      print(`${p.id}\t${p.name}\t${p.issuer}\t${p.clientId}\t${p.hasSecret ? 'secret set' : 'no secret'}`);
    return;
  }
  const provider = (values.provider ?? '').toLowerCase();
  if (!PROVIDER_ID.test(provider))
    throw new UsageError('--provider: 1-40 lowercase letters, digits and dashes, e.g. --provider google');
  if (sub === 'remove') {
    if (!(await removeOidcProvider(db, id, provider, CLI_ACTOR)))
      throw new UsageError(`site "${id}" has no provider "${provider}"`);
    print(`removed provider ${provider} of ${id}`);
    return;
  }
  if (sub !== 'add') throw new UsageError('usage: reply-desk site oidc add|remove|list ID …');
  const given = values['client-secret'] === '-' ? await readSecret() : values['client-secret'];
  const p = {
    id: provider,
    name: values.name ?? '',
    issuer: (values.issuer ?? '').replace(/\/+$/, ''),
    clientId: values['client-id'] ?? '',
    clientSecret: given ?? '',
  };
  const problem = checkOidcProvider(p);
  if (problem !== null) throw new UsageError(`--${problem.field}: ${problem.message}`);
  await saveOidcProvider(db, { siteId: id, ...p, clientSecret: given ?? null }, CLI_ACTOR);
  print(`saved provider ${provider} of ${id}; its redirect URI is <PUBLIC_URL>/readers/oidc/callback`);
}
