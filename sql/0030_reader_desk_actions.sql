-- The desk acts on signed-in readers (issue 14): a moderator trusts a reader (readers.trusted: their
-- comments skip the hold rules) or takes that back, from the reader's card or the Bans page. Both are
-- decisions about a person, so the audit log records them like trusting an email (`trust`).
-- Banning a reader needs no new action: it is a `ban` of kind 'reader' (sql/0025).
select add_audit_action('reader_trust', 'reader_untrust');
