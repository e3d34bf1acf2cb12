-- The spam memory's lookups on small indexes (issue 18, item 6, finding (a) of the drain's profile).
--
-- The worker's facts statement (src/store/batched/check-facts.ts) asks, for every submission, whether a
-- moderator marked an earlier comment of this reader, email or IP as spam on this site. Without an index
-- holding only spam, Postgres read the site's spam examples (spam_training, by model) and joined each
-- to its comment, so the cost grew with the site's spam history: 7–10 ms a submission at 1,928 spam
-- rows. These partial indexes hold spam comments only (a few per cent of a site's rows, written only
-- when a comment becomes spam), so each lookup reads the matching rows and nothing else. The website
-- domain has its index already (sql/0011, comments_spam_host_idx).
create index comments_spam_email_idx on comments (site_id, author_email) where status = 'spam';
create index comments_spam_ip_idx on comments (site_id, ip) where status = 'spam';
create index comments_spam_reader_idx on comments (reader_id) where status = 'spam' and reader_id is not null;
