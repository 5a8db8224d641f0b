-- Signing in to the server's web app and API (issue 15). Every secret handed out (a
-- session cookie, an API token, an invitation link) is 32 random bytes; only its SHA-256
-- is kept, so that a copy of the database (or a dump) lets nobody sign in. A plain hash
-- fits: the secrets are random, not chosen by people, so they cannot be guessed from it.

-- A browser that signed in. Ends at its expiry, at logout, or when every session of the
-- account is ended ("log out everywhere", a password change).
CREATE TABLE web_session (
    id_sha256 text PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX web_session_account ON web_session (account_id);
CREATE INDEX web_session_expires ON web_session (expires_at);

-- A program's key to the API (Authorization: Bearer), shown once when made; revoked
-- ones stay listed until deleted with their account.
CREATE TABLE api_token (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    token_sha256 text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at timestamptz
);
CREATE INDEX api_token_account ON api_token (account_id);

-- A one-time link to set an account's password (`followup server user add`).
CREATE TABLE invitation (
    token_sha256 text PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);

-- Failed sign-ins of the last minutes, counted per email and per client address to
-- throttle guessing (the email is kept whether or not it has an account).
CREATE TABLE signin_failure (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL,
    email text NOT NULL,
    address text NOT NULL
);
CREATE INDEX signin_failure_email ON signin_failure (email, at);
CREATE INDEX signin_failure_address ON signin_failure (address, at);
