-- A site's external check hook (issue 17, item 5): a newsroom's own HTTP endpoint (its legal model,
-- Perspective, an LLM) that the worker asks about each comment the local rules would publish or hold.
-- Its answer is one more rule in the verdict trail (src/moderation/rules/external-check-rule.ts).
--
-- One hook per site, in a table of its own rather than in sites.settings: the secret signs the requests
-- (as webhook_subscriptions.secret does), and settings are read by moderators, copied into exports and
-- shown in the audit log's site_update events, none of which may see it. timeout_ms null: the worker's
-- CHECK_HOOK_TIMEOUT_MS applies. The audit action 'check_hook' records each set and clear (never the secret).
create table site_check_hooks (
  site_id text primary key references sites (id) on delete cascade,
  url text not null check (length(url) between 8 and 2000),
  secret text not null check (length(secret) >= 32),
  timeout_ms integer check (timeout_ms between 100 and 10000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

select add_audit_action('check_hook');
