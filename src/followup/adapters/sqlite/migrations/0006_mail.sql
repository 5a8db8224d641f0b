-- Email: the outbox (every message is stored before it is sent, so a crash never loses
-- it and never sends it twice unasked), the Message-ID of touches (to recognise
-- replies), and how far each mailbox folder has been read.

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    action_id TEXT NOT NULL,
    application_id TEXT NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    contact_id TEXT,
    purpose TEXT NOT NULL CHECK (purpose = 'thank_you' OR purpose = 'status'),
    message_id TEXT NOT NULL UNIQUE,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    message BLOB NOT NULL, -- the exact bytes that go out
    state TEXT NOT NULL CHECK (state = 'sending' OR state = 'sent' OR state = 'failed'),
    error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX outbox_state ON outbox (state);
CREATE INDEX outbox_action ON outbox (action_id);

ALTER TABLE touch ADD COLUMN message_id TEXT;
CREATE INDEX touch_message_id ON touch (message_id) WHERE message_id IS NOT NULL;

CREATE TABLE mail_folder (
    folder TEXT PRIMARY KEY,
    uidvalidity INTEGER NOT NULL,
    last_uid INTEGER NOT NULL
) WITHOUT ROWID;
