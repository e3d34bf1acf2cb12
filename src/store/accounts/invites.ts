import { createHash, randomBytes } from 'node:crypto';
import type { SiteRole } from '../../auth/site-roles.js';
import type { Pool, Queryable } from '../db.js';
import { inTransaction } from '../moderation-actions.js';
import type { Role } from '../moderators.js';
import { recordAccountEvent, type AccountEventActor } from './account-events.js';

/*
 * Invites (sql/0043): an admin names an email, a name and the role (an admin, or roles per site); the
 * mail worker mints the link's token as it sends the mail (only its sha256 is kept, so the token is
 * in the mail and nowhere else); opening the link and choosing a password creates the account, once.
 */

/** How long an invite's link works. @defaultValue 72 hours (a weekend) */
export const INVITE_HOURS = 72;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

export interface NewInvite {
  email: string;
  displayName: string;
  role: Role;
  /** A non-admin's sites and their roles. */
  siteRoles: Record<string, SiteRole>;
}

export type InviteOutcome = { ok: true; id: string } | { ok: false; problem: 'ACCOUNT_EXISTS' | 'NO_SUCH_SITE' };

/**
 * Records an invite, ending any older one to the same address (only the newest link works), and audits
 * it. Refused when the address already has an account (an admin changes that one instead).
 */
export async function createInvite(pool: Pool, invite: NewInvite, actor: AccountEventActor): Promise<InviteOutcome> {
  const email = invite.email.trim().toLowerCase();
  return inTransaction(pool, async (c) => {
    await c.query(`select pg_advisory_xact_lock(hashtext('moderator-invite:' || $1))`, [email]);
    const exists = await c.query('select 1 from moderators where email = $1', [email]);
    if (exists.rowCount) return { ok: false, problem: 'ACCOUNT_EXISTS' };
    const siteIds = Object.keys(invite.siteRoles);
    const known = await c.query('select id from sites where id = any($1::text[])', [siteIds]);
    if ((known.rowCount ?? 0) !== siteIds.length) return { ok: false, problem: 'NO_SUCH_SITE' };
    await c.query(
      'update moderator_invites set revoked_at = now() where email = $1 and accepted_at is null and revoked_at is null',
      [email],
    );
    const { rows } = await c.query<{ id: string }>(
      `insert into moderator_invites (email, display_name, role, site_roles, invited_by, expires_at)
       values ($1, $2, $3, $4, $5, now() + make_interval(hours => $6)) returning id`,
      [email, invite.displayName, invite.role, JSON.stringify(invite.siteRoles), actor.id, INVITE_HOURS],
    );
    const id = String(rows[0]!.id);
    await recordAccountEvent(c, actor, 'account_invite', {
      email,
      role: invite.role,
      ...(invite.role === 'admin' ? {} : { sites: invite.siteRoles }),
    });
    return { ok: true, id };
  });
}

/** What the mail says: who is invited, by whom, until when. */
export interface InviteMail {
  email: string;
  displayName: string;
  invitedBy: string | null;
  expiresAt: Date;
}

/**
 * Mints the link token of invite `id` and hands it to `send` inside the transaction that stores its
 * hash: a failed send rolls it back and the retry mints another. False when the invite is no longer
 * open (accepted, revoked by a newer one, expired).
 */
export async function mintInviteLink(
  pool: Pool,
  id: string,
  send: (mail: InviteMail, token: string) => Promise<void>,
): Promise<boolean> {
  return inTransaction(pool, async (c) => {
    const { rows } = await c.query<{
      email: string;
      display_name: string;
      invited_by: string | null;
      expires_at: Date;
    }>(
      `select i.email, i.display_name, m.display_name as invited_by, i.expires_at
         from moderator_invites i left join moderators m on m.id = i.invited_by
        where i.id = $1 and i.accepted_at is null and i.revoked_at is null and i.expires_at > now()
        for update of i`,
      [id],
    );
    const row = rows[0];
    if (!row) return false;
    const token = randomBytes(32).toString('base64url');
    await c.query('update moderator_invites set token_hash = $2 where id = $1', [id, sha256(token)]);
    await send(
      { email: row.email, displayName: row.display_name, invitedBy: row.invited_by, expiresAt: row.expires_at },
      token,
    );
    return true;
  });
}

export type InviteState =
  { ok: true; email: string; displayName: string } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

interface InviteRow {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  site_roles: Record<string, SiteRole>;
  used: boolean;
  expired: boolean;
}

const selectByToken = `
select id, email, display_name, role, site_roles, accepted_at is not null as used,
       (revoked_at is not null or expires_at <= now()) as expired
  from moderator_invites where token_hash = $1`;

function stateOf(row: InviteRow | undefined): InviteState {
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.used) return { ok: false, reason: 'used' };
  if (row.expired) return { ok: false, reason: 'expired' };
  return { ok: true, email: row.email, displayName: row.display_name };
}

/** What a link stands for, without spending it (the set-password page's GET). */
export async function inspectInvite(db: Queryable, token: string): Promise<InviteState> {
  if (!TOKEN.test(token)) return { ok: false, reason: 'unknown' };
  const { rows } = await db.query<InviteRow>(selectByToken, [sha256(token)]);
  return stateOf(rows[0]);
}

export type AcceptOutcome = { ok: true; moderatorId: number } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/**
 * Spends the link: creates the account with the invite's role and sites and the chosen password's
 * hash, marks the invite accepted, and audits it with the new account as the actor. Single use: the
 * row is locked, so two posts of the same link create one account.
 */
export async function acceptInvite(pool: Pool, token: string, passwordHash: string): Promise<AcceptOutcome> {
  if (!TOKEN.test(token)) return { ok: false, reason: 'unknown' };
  return inTransaction(pool, async (c) => {
    const { rows } = await c.query<InviteRow>(`${selectByToken} for update`, [sha256(token)]);
    const row = rows[0];
    const state = stateOf(row);
    if (!state.ok || !row) return state.ok ? { ok: false, reason: 'unknown' } : state;
    // An account made meanwhile for the address (the CLI, another invite): this link is spent.
    const made = await c.query<{ id: string }>(
      `insert into moderators (email, display_name, role, password_hash) values ($1, $2, $3, $4)
       on conflict (email) do nothing returning id`,
      [row.email, row.display_name, row.role, passwordHash],
    );
    if (!made.rows[0]) return { ok: false, reason: 'used' };
    const moderatorId = Number(made.rows[0].id);
    if (row.role !== 'admin')
      await c.query(
        `insert into moderator_sites (moderator_id, site_id, role)
         select $1, r.key, r.value from jsonb_each_text($2::jsonb) r join sites s on s.id = r.key`,
        [moderatorId, JSON.stringify(row.site_roles)],
      );
    await c.query('update moderator_invites set accepted_at = now() where id = $1', [row.id]);
    await recordAccountEvent(c, { id: moderatorId, label: row.email }, 'invite_accept', {
      email: row.email,
      role: row.role,
      ...(row.role === 'admin' ? {} : { sites: row.site_roles }),
    });
    return { ok: true, moderatorId };
  });
}

/** An invite still waiting to be used, as the Moderators page lists it. */
export interface OpenInvite {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  siteRoles: Record<string, SiteRole>;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  /** The mail has gone out (its link's token was minted). */
  mailed: boolean;
}

/** Invites neither used, replaced, taken back nor expired, newest first. */
export async function listOpenInvites(db: Queryable): Promise<OpenInvite[]> {
  const { rows } = await db.query<{
    id: string;
    email: string;
    display_name: string;
    role: Role;
    site_roles: Record<string, SiteRole>;
    invited_by: string | null;
    created_at: Date;
    expires_at: Date;
    mailed: boolean;
  }>(
    `select i.id, i.email, i.display_name, i.role, i.site_roles, m.email as invited_by, i.created_at, i.expires_at,
            i.token_hash is not null as mailed
       from moderator_invites i left join moderators m on m.id = i.invited_by
      where i.accepted_at is null and i.revoked_at is null and i.expires_at > now()
      order by i.created_at desc, i.id desc`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    email: r.email,
    displayName: r.display_name,
    role: r.role,
    siteRoles: r.site_roles,
    invitedBy: r.invited_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    mailed: r.mailed,
  }));
}

/** Takes an open invite back (its link stops working), audited; false when it was no longer open. */
export async function revokeInvite(pool: Pool, id: string, actor: AccountEventActor): Promise<boolean> {
  if (!/^[0-9]{1,19}$/.test(id)) return false;
  return inTransaction(pool, async (c) => {
    const { rows } = await c.query<{ email: string }>(
      `update moderator_invites set revoked_at = now()
        where id = $1 and accepted_at is null and revoked_at is null and expires_at > now() returning email`,
      [id],
    );
    if (!rows[0]) return false;
    await recordAccountEvent(c, actor, 'invite_revoke', { email: rows[0].email });
    return true;
  });
}
