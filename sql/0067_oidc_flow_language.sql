-- The OpenID Connect popup's pages speak the reader's language: the one the widget started the flow
-- in, kept with the flow so the callback (which the provider opens, with no word of it) can answer in it.
alter table reader_oidc_flows add column lang text not null default 'en' check (length(lang) between 2 and 10);
