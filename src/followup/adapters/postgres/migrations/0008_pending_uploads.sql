-- Moving in (issue 15): a spreadsheet a seeker uploads on the Settings page is kept from
-- its preview until they confirm the import. It is kept here, not on one web worker's
-- disk, since the preview and the confirmation may reach different workers (or machines).
-- An upload belongs to one seeker and is found only with that seeker's id and its token's
-- SHA-256 (the preview's form carries the token itself). Its bytes are kept in chunks, so
-- that neither keeping nor reading back an upload holds the whole file in memory. An
-- upload is gone after an hour (deleted at the next upload), or once it is imported.
CREATE TABLE pending_upload (
    seeker_id bigint NOT NULL REFERENCES seeker (id) ON DELETE CASCADE,
    token_sha256 text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (seeker_id, token_sha256)
);
CREATE INDEX pending_upload_created ON pending_upload (created_at);

CREATE TABLE pending_upload_chunk (
    seeker_id bigint NOT NULL,
    token_sha256 text NOT NULL,
    seq integer NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (seeker_id, token_sha256, seq),
    FOREIGN KEY (seeker_id, token_sha256)
        REFERENCES pending_upload (seeker_id, token_sha256) ON DELETE CASCADE
);
