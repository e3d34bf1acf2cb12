import { checkTotp } from '../../auth/totp.js';
import { openSecret, sealSecret } from '../../auth/two-factor-secret.js';
import { hashRecoveryCode, newRecoveryCodes } from '../../auth/recovery-codes.js';
import type { Pool, Queryable } from '../db.js';
import { inTransaction } from '../moderation-actions.js';
import { recordAccountEvent, type AccountEventActor } from './account-events.js';

/*
 * Two-factor sign-in's rows (sql/0042): the sealed TOTP secret and the hashed recovery codes. Every
 * function takes the sealing key's secret as it was loaded (app_secrets 'two-factor-key'), so nothing
 * here reads the environment or caches a key.
 */

export interface TwoFactorState {
  /** Set up and confirmed with a code: sign-in asks for one. */
  confirmed: boolean;
  /** The secret while enrolling (shown as a QR code until a code confirms it); null once confirmed. */
  pendingSecret: string | null;
  /** Recovery codes not yet used. */
  recoveryLeft: number;
}

export async function loadTwoFactor(db: Queryable, key: string, moderatorId: number): Promise<TwoFactorState> {
  const { rows } = await db.query<{ secret_sealed: string | null; confirmed: boolean | null; left: string }>(
    `select t.secret_sealed, t.confirmed_at is not null as confirmed,
            (select count(*) from moderator_recovery_codes r where r.moderator_id = $1 and r.used_at is null) as left
       from (select 1) one left join moderator_two_factor t on t.moderator_id = $1`,
    [moderatorId],
  );
  const r = rows[0];
  const confirmed = r?.confirmed === true;
  return {
    confirmed,
    pendingSecret: !confirmed && r?.secret_sealed ? openSecret(key, r.secret_sealed) : null,
    recoveryLeft: Number(r?.left ?? 0),
  };
}

/**
 * Starts enrolling with a new secret (replacing an unconfirmed one). Refused (false) when two-factor is
 * already on: a second enrolment must not silently replace a working authenticator.
 */
export async function startTwoFactor(
  db: Queryable,
  key: string,
  moderatorId: number,
  secret: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into moderator_two_factor (moderator_id, secret_sealed) values ($1, $2)
     on conflict (moderator_id) do update set secret_sealed = excluded.secret_sealed, last_step = null,
       created_at = now()
       where moderator_two_factor.confirmed_at is null`,
    [moderatorId, sealSecret(key, secret)],
  );
  return (rowCount ?? 0) > 0;
}

/** Replaces the account's recovery codes with a new set; returns them (shown once, stored hashed). */
async function replaceRecoveryCodes(db: Queryable, moderatorId: number): Promise<string[]> {
  const codes = newRecoveryCodes();
  await db.query('delete from moderator_recovery_codes where moderator_id = $1', [moderatorId]);
  await db.query(`insert into moderator_recovery_codes (moderator_id, code_hash) select $1, unnest($2::bytea[])`, [
    moderatorId,
    codes.map(hashRecoveryCode),
  ]);
  return codes;
}

/**
 * Confirms enrolment with a code from the app: two-factor is on from now, and the first recovery codes
 * are made. Null when the code is wrong (or nothing is being enrolled).
 */
export async function confirmTwoFactor(
  pool: Pool,
  key: string,
  actor: AccountEventActor & { id: number },
  code: string,
  now = new Date(),
): Promise<string[] | null> {
  return inTransaction(pool, async (c) => {
    const { rows } = await c.query<{ secret_sealed: string }>(
      'select secret_sealed from moderator_two_factor where moderator_id = $1 and confirmed_at is null for update',
      [actor.id],
    );
    const secret = rows[0] ? openSecret(key, rows[0].secret_sealed) : null;
    const step = secret === null ? null : await checkTotp(secret, code, null, now);
    if (step === null) return null;
    await c.query('update moderator_two_factor set confirmed_at = now(), last_step = $2 where moderator_id = $1', [
      actor.id,
      step,
    ]);
    const codes = await replaceRecoveryCodes(c, actor.id);
    await recordAccountEvent(c, actor, 'two_factor_enable', { email: actor.label });
    return codes;
  });
}

/** A new set of recovery codes (the old ones stop working); null when two-factor is off. */
export async function renewRecoveryCodes(
  pool: Pool,
  actor: AccountEventActor & { id: number },
): Promise<string[] | null> {
  return inTransaction(pool, async (c) => {
    const { rowCount } = await c.query(
      'select 1 from moderator_two_factor where moderator_id = $1 and confirmed_at is not null for update',
      [actor.id],
    );
    if (!rowCount) return null;
    const codes = await replaceRecoveryCodes(c, actor.id);
    await recordAccountEvent(c, actor, 'recovery_codes_new', { email: actor.label });
    return codes;
  });
}

/**
 * Turns two-factor off for `moderatorId` (by the account itself, or an admin's reset for a lost phone:
 * `actor` says which). Its secret and recovery codes are deleted. False when it was not on.
 */
export async function removeTwoFactor(
  pool: Pool,
  moderatorId: number,
  email: string,
  actor: AccountEventActor,
): Promise<boolean> {
  return inTransaction(pool, async (c) => {
    const { rowCount } = await c.query('delete from moderator_two_factor where moderator_id = $1', [moderatorId]);
    await c.query('delete from moderator_recovery_codes where moderator_id = $1', [moderatorId]);
    if (!rowCount) return false;
    await recordAccountEvent(c, actor, 'two_factor_disable', {
      email,
      ...(actor.id === moderatorId ? {} : { reset: true }),
    });
    return true;
  });
}

export type SecondFactor = { ok: true; via: 'totp' | 'recovery'; recoveryLeft?: number } | { ok: false };

/**
 * Checks the code typed at sign-in: a TOTP code (accepted once: the step is recorded under a row lock,
 * so the same code typed twice, even at once, signs in once) or a recovery code (spent by the same
 * statement that finds it, and audited).
 */
export async function checkSecondFactor(
  pool: Pool,
  key: string,
  account: { id: number; email: string },
  typed: { totp: string } | { recovery: string },
  now = new Date(),
): Promise<SecondFactor> {
  return inTransaction(pool, async (c) => {
    if ('recovery' in typed) {
      const { rowCount } = await c.query(
        `update moderator_recovery_codes set used_at = now()
          where moderator_id = $1 and code_hash = $2 and used_at is null
            and exists (select 1 from moderator_two_factor t where t.moderator_id = $1 and t.confirmed_at is not null)`,
        [account.id, hashRecoveryCode(typed.recovery)],
      );
      if (!rowCount) return { ok: false };
      const { rows } = await c.query<{ left: string }>(
        'select count(*) as left from moderator_recovery_codes where moderator_id = $1 and used_at is null',
        [account.id],
      );
      const recoveryLeft = Number(rows[0]?.left ?? 0);
      await recordAccountEvent(c, { id: account.id, label: account.email }, 'recovery_code_use', {
        email: account.email,
        left: recoveryLeft,
      });
      return { ok: true, via: 'recovery', recoveryLeft };
    }
    const { rows } = await c.query<{ secret_sealed: string; last_step: string | null }>(
      `select secret_sealed, last_step from moderator_two_factor
        where moderator_id = $1 and confirmed_at is not null for update`,
      [account.id],
    );
    const row = rows[0];
    const secret = row ? openSecret(key, row.secret_sealed) : null;
    if (!row || secret === null) return { ok: false };
    const step = await checkTotp(secret, typed.totp, row.last_step === null ? null : Number(row.last_step), now);
    if (step === null) return { ok: false };
    await c.query('update moderator_two_factor set last_step = $2 where moderator_id = $1', [account.id, step]);
    return { ok: true, via: 'totp' };
  });
}
