-- Reader mails in the reader's language (issue 15, item 6): the language a comment was written in
-- (the widget's, or the no-JS form's hidden field; one of src/i18n/reader-language.ts's codes, '' when
-- unknown), so a reply notice reaches its parent's author in their language; the language of the last
-- comment that asked for reply mails from an address, for that address's confirmation mail; and the
-- language of an email sign-in request, for the sign-in mail. '' means English, as mails were before.
-- The constant default adds the column without rewriting the table; the check is `not valid` so that
-- adding it does not scan millions of rows that all hold '' (new and updated rows are checked).
alter table comments
  add column lang text not null default '';
alter table comments
  add constraint comments_lang_check check (length(lang) <= 8) not valid;

alter table reply_mail_addresses
  add column lang text not null default '' check (length(lang) <= 8);

alter table reader_email_sign_ins
  add column lang text not null default '' check (length(lang) <= 8);
