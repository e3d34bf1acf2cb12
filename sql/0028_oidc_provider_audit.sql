-- Adding, changing or removing a site's OpenID Connect provider is a change to who can sign in, so
-- it is in the audit log like the SSO secret (0025): which provider, its issuer and client id, and
-- whether the client secret changed — never the secret.
select add_audit_action('oidc_provider_set', 'oidc_provider_remove');
