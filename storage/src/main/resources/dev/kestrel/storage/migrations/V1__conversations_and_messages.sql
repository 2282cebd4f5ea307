-- Schema version 1: conversations and their messages.
-- Times are milliseconds since the epoch (UTC). A reply row exists from its first token (status
-- 'streaming') and is finished as complete, cancelled or failed; one left streaming by a crash
-- becomes 'interrupted' when the database is next opened, its text kept.

CREATE TABLE conversations (
    id          INTEGER PRIMARY KEY,
    title       TEXT    NOT NULL,
    model       TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE messages (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    parent_id        INTEGER REFERENCES messages (id) ON DELETE CASCADE,
    role             TEXT    NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    content          TEXT    NOT NULL DEFAULT '',
    thinking         TEXT    NOT NULL DEFAULT '',
    status           TEXT    NOT NULL CHECK (status IN ('streaming', 'complete', 'cancelled', 'interrupted', 'failed')),
    model            TEXT    NOT NULL DEFAULT '',
    -- 'pid@start' of the process streaming this reply, so recovery leaves live writers alone
    writer           TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
CREATE INDEX conversations_by_update ON conversations (updated_at DESC);
