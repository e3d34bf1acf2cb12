-- Two-factor sign-in with TOTP (issue 16, item 3): an authenticator app's six-digit code after the
-- password, with single-use recovery codes for a lost phone. A site's `requireTwoFactor` setting makes
-- every account with a role on it enrol before it can do anything else.
--
-- The TOTP secret must be readable (the server computes the expected code), so it is sealed with
-- AES-256-GCM under a key kept in app_secrets ('two-factor-key', src/auth/two-factor-secret.ts), not
-- stored in the clear: a leaked copy of this table alone, or a log of its rows, reveals no secret.
-- `confirmed_at` is null while enrolling (the secret is shown, no code confirmed yet): such a row does
-- not ask for a code at sign-in. `last_step` is the time step of the last code accepted, so one code
-- signs in once (RFC 6238 §5.2: a verifier must not accept the second attempt of the same OTP).
create table moderator_two_factor (
  moderator_id bigint primary key references moderators (id) on delete cascade,
  secret_sealed text not null,
  confirmed_at timestamptz,
  last_step bigint,
  created_at timestamptz not null default now()
);

-- Recovery codes: random, shown once, stored as sha256 (they carry 60 random bits, so a fast hash is
-- enough: there is no dictionary to guess from). A new set replaces the old one.
create table moderator_recovery_codes (
  moderator_id bigint not null references moderators (id) on delete cascade,
  code_hash bytea not null,
  used_at timestamptz,
  primary key (moderator_id, code_hash)
);

-- Audit: two_factor_enable (a code confirmed the secret), two_factor_disable (by the account, or an
-- admin's reset for a lost phone), recovery_codes_new (a new set was made), recovery_code_use (one was
-- spent signing in), sessions_end (signed out everywhere else), session_end (one other session ended).
select add_audit_action('two_factor_enable', 'two_factor_disable', 'recovery_codes_new', 'recovery_code_use',
  'sessions_end', 'session_end');
