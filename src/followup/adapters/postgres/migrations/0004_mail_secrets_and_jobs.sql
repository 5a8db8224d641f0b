-- Mail passwords at rest (issue 15): one per seeker and kind, only ever sealed with the
-- server's key (adapters/secret_box.py: a Fernet token, which always starts "gAAAAA"), so
-- neither the database nor a dump of it holds a password in clear. The login and host
-- it was given for are kept beside it: a password is used only for those.
CREATE TABLE mail_secret (
    seeker_id bigint NOT NULL REFERENCES seeker (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('smtp', 'imap')),
    login text NOT NULL,
    host text NOT NULL,
    sealed text NOT NULL CHECK (sealed LIKE 'gAAAAA%'),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (seeker_id, kind)
);
