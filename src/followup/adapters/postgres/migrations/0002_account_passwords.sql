-- Signing in (issue 15): an account's password, kept only as an argon2id hash (the hash
-- carries its own salt and cost). NULL until one is set: such an account cannot sign in.

ALTER TABLE account ADD COLUMN password_hash text
    CHECK (password_hash LIKE '$argon2id$%');
